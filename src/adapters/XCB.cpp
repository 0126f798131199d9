#include "XCB.hpp"

#if LIMBER_HAVE_X11

#include <spdlog/spdlog.h>

#include <dlfcn.h>
#include <cstdint>
#include <iterator>
#include <string>

namespace limber::adapters::xcb {

const Api& api() {
    static const Api loaded = [] {
        Api a;
        // Each library stays loaded for the process (their functions are in the table).
        void* core = dlopen("libxcb.so.1", RTLD_NOW | RTLD_LOCAL);
        if (core == nullptr) return a;
        bool all = true;
#define LIMBER_XCB_LOAD(name)                                        \
    a.name = reinterpret_cast<decltype(a.name)>(dlsym(core, #name)); \
    all = all && a.name != nullptr;
        LIMBER_XCB_FUNCTIONS(LIMBER_XCB_LOAD)
#undef LIMBER_XCB_LOAD
        a.loaded = all;
        if (!all) return a;
        void* libs[] = {dlopen("libxcb-screensaver.so.0", RTLD_NOW | RTLD_LOCAL),
                        dlopen("libxcb-sync.so.1", RTLD_NOW | RTLD_LOCAL)};
        auto find = [&](const char* name) -> void* {
            for (void* lib : libs)
                if (void* f = lib != nullptr ? dlsym(lib, name) : nullptr) return f;
            all = false;
            return nullptr;
        };
#define LIMBER_XCB_LOAD(name) a.name = reinterpret_cast<decltype(a.name)>(find(#name));
        LIMBER_XCB_IDLE_FUNCTIONS(LIMBER_XCB_LOAD)
#undef LIMBER_XCB_LOAD
        a.idle_loaded = all;
        return a;
    }();
    return loaded;
}

xcb_connection_t* connect(const char* source, const char* name, xcb_window_t& root) {
    int screen = 0;
    xcb_connection_t* c = api().xcb_connect(name, &screen);
    // A failed connection is still an object (in error), which xcb_disconnect frees.
    if (const int error = api().xcb_connection_has_error(c); error != 0) {
        spdlog::get("presence")->debug("{}: cannot open display {} (xcb error {})", source, name, error);
        api().xcb_disconnect(c);
        return nullptr;
    }
    xcb_screen_iterator_t it = api().xcb_setup_roots_iterator(api().xcb_get_setup(c));
    for (int i = 0; i < screen && it.rem > 0; ++i) api().xcb_screen_next(&it);
    if (it.rem == 0) {
        spdlog::get("presence")->debug("{}: display {} has no screen {}", source, name, screen);
        api().xcb_disconnect(c);
        return nullptr;
    }
    root = it.data->root;
    return c;
}

namespace {

/** The core protocol's error names (xcb has no XGetErrorText); an extension's errors by number. */
const char* error_name(std::uint8_t code) {
    static const char* const names[] = {nullptr,     "BadRequest", "BadValue",         "BadWindow", "BadPixmap",
                                        "BadAtom",   "BadCursor",  "BadFont",          "BadMatch",  "BadDrawable",
                                        "BadAccess", "BadAlloc",   "BadColormap",      "BadGC",     "BadIDChoice",
                                        "BadName",   "BadLength",  "BadImplementation"};
    return code < std::size(names) ? names[code] : nullptr;
}

}  // namespace

void log_error(const xcb_generic_error_t& error) {
    const char* name = error_name(error.error_code);
    spdlog::get("presence")
        ->log(error.error_code == XCB_WINDOW /* BadWindow */ ? spdlog::level::debug : spdlog::level::warn,
              "x11: X error: {} (request {}.{}, resource 0x{:x})",
              name != nullptr ? std::string(name) : "error " + std::to_string(error.error_code),
              static_cast<int>(error.major_code), static_cast<int>(error.minor_code), error.resource_id);
}

}  // namespace limber::adapters::xcb

#endif
