#pragma once
// Memory an adapter leaves allocated on purpose as the process ends (a worker thread still running):
// said once, here, so a sanitized build's LeakSanitizer does not report it, while everything else is
// still checked.

#if defined(__SANITIZE_ADDRESS__) && __has_include(<sanitizer/lsan_interface.h>)
#include <sanitizer/lsan_interface.h>
#endif

namespace limber::adapters {

/** Tells LeakSanitizer (in a sanitized build) that `p` is left allocated on purpose, with all it holds. */
inline void left_on_purpose([[maybe_unused]] const void* p) noexcept {
#if defined(__SANITIZE_ADDRESS__) && __has_include(<sanitizer/lsan_interface.h>)
    __lsan_ignore_object(p);
#endif
}

}  // namespace limber::adapters
