#pragma once
// libX11, opened at run time (only where there is an X display), for the X11 presence sources:
// the functions they share and one X error handler for the whole process.

#if LIMBER_HAVE_X11

#include <X11/Xlib.h>

namespace limber::adapters::xlib {

#define LIMBER_XLIB_FUNCTIONS(F) \
    F(XOpenDisplay)              \
    F(XCloseDisplay)             \
    F(XFlush)                    \
    F(XFree)                     \
    F(XGetErrorText)             \
    F(XNextEvent)                \
    F(XPending)                  \
    F(XSetErrorHandler)          \
    F(XInternAtoms)              \
    F(XSelectInput)              \
    F(XGetWindowProperty)

struct Api {
#define LIMBER_XLIB_POINTER(name) decltype(&::name) name = nullptr;
    LIMBER_XLIB_FUNCTIONS(LIMBER_XLIB_POINTER)
#undef LIMBER_XLIB_POINTER
    /** libX11 >= 1.7 only: lets limberd outlive its X server instead of Xlib calling exit(). */
    decltype(&::XSetIOErrorExitHandler) XSetIOErrorExitHandler = nullptr;
    decltype(&::XSetIOErrorHandler) XSetIOErrorHandler = nullptr;
    bool loaded = false;
};

/** libX11's functions, loaded at the first call; `loaded` is false where libX11 is missing. */
const Api& api();

/**
 * Xlib's error handler for the process (Xlib's default one exits): a window that vanished
 * before a request about it reached the server (BadWindow) is normal and logged at debug,
 * anything else as a warning.
 */
int log_error(Display* display, XErrorEvent* error);

}  // namespace limber::adapters::xlib

#endif
