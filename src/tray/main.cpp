// limber-tray: limber's tray icon (a StatusNotifierItem with a dbusmenu menu), following limberd over
// the session bus. Optional; started by its user unit (limber-tray.service) or XDG autostart entry.
// Exit status: 0 on Quit tray, SIGINT or SIGTERM; 1 without a session bus or when it goes; 2 usage.

#include "../ctl/BusClient.hpp"
#include "Tray.hpp"

#include <limber/adapters/DataDirs.hpp>
#include <limber/adapters/Locale.hpp>
#include <limber/core/Translate.hpp>

#include <gio/gio.h>
#include <glib-unix.h>

#include <cstdio>
#include <cstring>
#include <string>

#ifndef LIMBER_VERSION
#define LIMBER_VERSION "0.0.0"
#endif

namespace {

using limber::core::tr;

int usage(FILE* to) {
    std::fputs(tr("Usage: limber-tray [--help] [--version]\n"
                  "limber's tray icon: limberd's state, the next reminder and a menu to pause, resume,\n"
                  "snooze and answer, in any tray that hosts StatusNotifierItems (KDE, XFCE, Waybar,\n"
                  "GNOME with the AppIndicator extension). A left click opens the menu; a tray that\n"
                  "activates the item instead pauses or resumes limber.\n"),
               to);
    return to == stdout ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
    limber::adapters::use_system_locale();
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) return usage(stdout);
        if (std::strcmp(argv[i], "--version") == 0) {
            std::puts("limber-tray " LIMBER_VERSION);
            return 0;
        }
        std::fprintf(stderr, "%s\n", limber::core::format(tr("limber-tray: unknown argument '%s'"), argv[i]).c_str());
        return usage(stderr);
    }
    try {
        limber::ctl::BusClient bus;
        GMainLoop* loop = g_main_loop_new(nullptr, FALSE);
        int status = 0;
        struct Quit {
            GMainLoop* loop;
            int* status;
        } quit{loop, &status};
        for (int sig : {SIGINT, SIGTERM, SIGHUP})
            g_unix_signal_add(
                sig,
                [](gpointer q) -> gboolean {
                    g_main_loop_quit(static_cast<Quit*>(q)->loop);
                    return G_SOURCE_CONTINUE;
                },
                &quit);
        g_dbus_connection_set_exit_on_close(bus.connection(), FALSE);
        g_signal_connect(bus.connection(), "closed", G_CALLBACK(+[](GDBusConnection*, gboolean, GError*, gpointer q) {
                             std::fputs(tr("limber-tray: lost the D-Bus session bus\n"), stderr);
                             *static_cast<Quit*>(q)->status = 1;
                             g_main_loop_quit(static_cast<Quit*>(q)->loop);
                         }),
                         &quit);
        const auto icons = limber::adapters::find_data_dir("icons", "hicolor/scalable/apps/limber-tray-active.svg");
        {
            limber::tray::Tray tray(bus, loop, icons.string());
            g_main_loop_run(loop);
        }
        g_main_loop_unref(loop);
        return status;
    } catch (const limber::ctl::BusFailure& failure) {
        std::fprintf(stderr, "limber-tray: %s\n", failure.what());
        return 1;
    }
}
