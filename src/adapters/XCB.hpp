#pragma once
// libxcb and its MIT-SCREEN-SAVER and SYNC libraries, opened at run time (only where there is an X
// display), for the X11 presence sources: the functions they share, one table of them, and how an
// X error is logged. XCB rather than Xlib: libX11, libXext and libXss (about 0.9 MiB resident) are
// not loaded at all, and a broken connection is a state to check, not a call to exit().

#if LIMBER_HAVE_X11

#include <xcb/screensaver.h>
#include <xcb/sync.h>
#include <xcb/xcb.h>

#include <cstdlib>
#include <memory>

namespace limber::adapters::xcb {

// libxcb.so.1: what both sources need.
#define LIMBER_XCB_FUNCTIONS(F)     \
    F(xcb_connect)                  \
    F(xcb_disconnect)               \
    F(xcb_connection_has_error)     \
    F(xcb_get_file_descriptor)      \
    F(xcb_get_setup)                \
    F(xcb_setup_roots_iterator)     \
    F(xcb_screen_next)              \
    F(xcb_flush)                    \
    F(xcb_poll_for_event)           \
    F(xcb_get_extension_data)       \
    F(xcb_generate_id)              \
    F(xcb_intern_atom)              \
    F(xcb_intern_atom_reply)        \
    F(xcb_change_window_attributes) \
    F(xcb_get_property)             \
    F(xcb_get_property_reply)       \
    F(xcb_get_property_value)       \
    F(xcb_get_property_value_length)

// libxcb-screensaver.so.0 and libxcb-sync.so.1: the idle source's (xcb_*_id are the extensions' keys,
// variables rather than functions).
#define LIMBER_XCB_IDLE_FUNCTIONS(F)       \
    F(xcb_screensaver_id)                  \
    F(xcb_screensaver_query_info)          \
    F(xcb_screensaver_query_info_reply)    \
    F(xcb_sync_id)                         \
    F(xcb_sync_initialize)                 \
    F(xcb_sync_initialize_reply)           \
    F(xcb_sync_list_system_counters)       \
    F(xcb_sync_list_system_counters_reply) \
    F(xcb_sync_query_counter)              \
    F(xcb_sync_query_counter_reply)        \
    F(xcb_sync_create_alarm_aux)           \
    F(xcb_sync_change_alarm_aux)           \
    F(xcb_sync_destroy_alarm)

struct Api {
#define LIMBER_XCB_POINTER(name) decltype(&::name) name = nullptr;
    LIMBER_XCB_FUNCTIONS(LIMBER_XCB_POINTER)
    LIMBER_XCB_IDLE_FUNCTIONS(LIMBER_XCB_POINTER)
#undef LIMBER_XCB_POINTER
    /** libxcb's functions are all there (the fullscreen source needs no more). */
    bool loaded = false;
    /** ...and the MIT-SCREEN-SAVER and SYNC ones too (the idle source). */
    bool idle_loaded = false;
};

/** The functions, loaded at the first call; `loaded` is false where libxcb is missing. */
const Api& api();

/** A reply or an error from libxcb, which the caller frees with free(). */
template <class T>
using Owned = std::unique_ptr<T, decltype(&std::free)>;
template <class T>
Owned<T> own(T* p) {
    return Owned<T>(p, &std::free);
}

/** Connects to display `name`; nullptr (logged at debug, for `source`) when that fails. `root` is the root
 * window of the display's screen. */
xcb_connection_t* connect(const char* source, const char* name, xcb_window_t& root);

/**
 * An X error: a window that vanished before a request about it reached the server (BadWindow) is
 * normal and logged at debug, anything else as a warning.
 */
void log_error(const xcb_generic_error_t& error);

/**
 * Hands every event already received or readable now to `on_event` (errors are logged instead), then
 * flushes. False when the connection is broken (the X server went away): nothing is read from it again.
 */
template <class F>
bool drain(xcb_connection_t* c, F&& on_event) {
    while (xcb_generic_event_t* e = api().xcb_poll_for_event(c)) {
        const auto event = own(e);
        if (event->response_type == 0)
            log_error(*reinterpret_cast<const xcb_generic_error_t*>(event.get()));
        else
            on_event(*event);
    }
    if (api().xcb_connection_has_error(c) != 0) return false;
    api().xcb_flush(c);
    return true;
}

/** An event's type without the bit that says another client sent it. */
inline int type_of(const xcb_generic_event_t& event) { return event.response_type & 0x7f; }

}  // namespace limber::adapters::xcb

#endif
