/* The floor for scripts/bench-idle.sh: the least a GLib daemon that shows
 * notifications can cost. It calls notify_init, owns a name on the session
 * bus and runs a GMainLoop, and does nothing else.
 *
 * Readiness: once the name is owned it writes "ready" to stdout and, when
 * NOTIFY_SOCKET is set, sends READY=1 there (by hand, so the floor needs no
 * libsystemd), so its start can be timed the same way as limberd's.
 *
 * Build: cc -O2 floor.c -o floor $(pkg-config --cflags --libs libnotify gio-2.0)
 * Run:   floor [BUS_NAME]      (default org.limber.Floor)
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <libnotify/notify.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void notify_ready(void) {
    const char* path = g_getenv("NOTIFY_SOCKET");
    if (path == NULL || path[0] == '\0') return;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    size_t len = strlen(path);
    if (len >= sizeof addr.sun_path) return;
    memcpy(addr.sun_path, path, len);
    if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0'; /* abstract socket */
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    static const char msg[] = "READY=1";
    (void)sendto(fd, msg, sizeof msg - 1, 0, (struct sockaddr*)&addr,
                 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
    close(fd);
}

static void on_acquired(GDBusConnection* c, const gchar* name, gpointer loop) {
    (void)c;
    (void)loop;
    notify_ready();
    printf("ready: owns %s\n", name);
    fflush(stdout);
}

static void on_lost(GDBusConnection* c, const gchar* name, gpointer loop) {
    (void)c;
    fprintf(stderr, "floor: could not own %s\n", name);
    g_main_loop_quit(loop);
}

static gboolean on_signal(gpointer loop) {
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

int main(int argc, char** argv) {
    const char* name = argc > 1 ? argv[1] : "org.limber.Floor";
    if (!notify_init("floor")) {
        fprintf(stderr, "floor: notify_init failed\n");
        return 1;
    }
    GMainLoop* loop = g_main_loop_new(NULL, FALSE);
    g_unix_signal_add(SIGTERM, on_signal, loop);
    g_unix_signal_add(SIGINT, on_signal, loop);
    guint id = g_bus_own_name(G_BUS_TYPE_SESSION, name, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE, NULL, on_acquired, on_lost,
                              loop, NULL);
    g_main_loop_run(loop);
    g_bus_unown_name(id);
    g_main_loop_unref(loop);
    notify_uninit();
    return 0;
}
