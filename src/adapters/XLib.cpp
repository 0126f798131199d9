#include "XLib.hpp"

#if LIMBER_HAVE_X11

#include <spdlog/spdlog.h>

#include <dlfcn.h>

namespace limber::adapters::xlib {

const Api& api() {
    static const Api loaded = [] {
        Api a;
        void* lib = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
        if (lib == nullptr) return a;
        bool all = true;
#define LIMBER_XLIB_LOAD(name)                                      \
    a.name = reinterpret_cast<decltype(a.name)>(dlsym(lib, #name)); \
    all = all && a.name != nullptr;
        LIMBER_XLIB_FUNCTIONS(LIMBER_XLIB_LOAD)
#undef LIMBER_XLIB_LOAD
        a.XSetIOErrorExitHandler =
            reinterpret_cast<decltype(a.XSetIOErrorExitHandler)>(dlsym(lib, "XSetIOErrorExitHandler"));
        a.XSetIOErrorHandler = reinterpret_cast<decltype(a.XSetIOErrorHandler)>(dlsym(lib, "XSetIOErrorHandler"));
        a.loaded = all;
        return a;
    }();
    return loaded;
}

int log_error(Display* display, XErrorEvent* error) {
    char text[128] = "";
    api().XGetErrorText(display, error->error_code, text, sizeof text);
    spdlog::get("presence")
        ->log(error->error_code == BadWindow ? spdlog::level::debug : spdlog::level::warn,
              "x11: X error: {} (request {}.{}, resource 0x{:x})", text, static_cast<int>(error->request_code),
              static_cast<int>(error->minor_code), error->resourceid);
    return 0;
}

}  // namespace limber::adapters::xlib

#endif
