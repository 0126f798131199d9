#pragma once
// The guard around limber code that a C library calls back (GLib sources,
// GDBus, libnotify): an exception must not unwind through their C
// frames (that is std::terminate). Used by the adapters and limberd's wiring;
// the report goes through Logging.cpp, so only code linked with
// limber_adapters may use it.

#include <exception>
#include <utility>

namespace limber::adapters {

/** Logs "WHERE failed: WHAT; this is a bug …" at error on the "daemon" logger; never throws (Logging.cpp). */
void report_callback_failure(const char* where, const char* what) noexcept;

/**
 * Runs `f` where GLib, GDBus or libnotify called limber back: an
 * exception must not unwind through their C frames (that is std::terminate),
 * so any exception is logged with `where` ("the deadline timer") and dropped.
 */
template <class F>
void guarded(const char* where, F&& f) noexcept {
    try {
        std::forward<F>(f)();
    } catch (const std::exception& e) {
        report_callback_failure(where, e.what());
    } catch (...) {
        report_callback_failure(where, "an exception of unknown type");
    }
}

}  // namespace limber::adapters
