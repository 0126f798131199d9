/* A scripted Wayland compositor for limberd's Wayland idle source (tests/e2e/test_presence_wayland.py).
 *
 * It has no outputs and no input devices: it offers wl_seat, ext_idle_notifier_v1 (version 1 or 2)
 * and/or org_kde_kwin_idle, and runs each idle notification's timer as a compositor would (idle once
 * the notification's timeout has passed since the last input). Input and idle inhibitors come as
 * commands, one per line on stdin (or on the FIFO given with --commands, opened read-write so that
 * no writer is needed between commands):
 *   input       the person touched something: idle notifications say resumed, timers start again
 *   inhibit     an idle inhibitor (a playing video): only input-idle notifications (version 2) fire
 *   uninhibit   the inhibitor goes
 *   quit        exit (as do the end of stdin, SIGTERM and SIGINT)
 * What happens is printed on stdout, one line each, flushed:
 *   ready SOCKET | connected | disconnected | bound NAME VERSION | armed KIND TIMEOUT_MS | idled KIND |
 *   resumed KIND | released KIND
 * KIND is ext (get_idle_notification), ext-input (get_input_idle_notification) or kde.
 *
 * With --held no idle timer runs before the first `input` (the person is busy until then), so a
 * test decides when the last input was.
 *
 * Usage: idle_compositor [--ext 0|1|2] [--kde] [--held] [--socket NAME] [--commands FIFO] */
#include <ext-idle-notify-v1-server-protocol.h>
#include <kde-idle-server-protocol.h>
#include <wayland-server.h>
#include "ext-idle-notifier-v2.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct notification {
    struct wl_list link;
    struct wl_resource* resource;
    struct wl_event_source* timer;
    const char* kind;
    uint32_t timeout;
    int input_only;
    int idle;
};

static struct wl_display* display;
static struct wl_list notifications;
static int inhibited;
static int held;
static char line[256];
static size_t line_len;

/* One line on stdout, flushed at once: the test reads it while the compositor runs. */
__attribute__((format(printf, 1, 2))) static void say(const char* format, ...) {
    va_list args;
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    putchar('\n');
    fflush(stdout);
}

static void send_idled(struct notification* n) {
    if (n->idle) return;
    n->idle = 1;
    if (strcmp(n->kind, "kde") == 0)
        org_kde_kwin_idle_timeout_send_idle(n->resource);
    else
        ext_idle_notification_v1_send_idled(n->resource);
    say("idled %s", n->kind);
}

static int on_timer(void* data) {
    struct notification* n = data;
    if (inhibited && !n->input_only) return 0; /* held back until uninhibit starts the timer again */
    send_idled(n);
    return 0;
}

static void restart(struct notification* n) {
    wl_event_source_timer_update(n->timer, held ? 0 : n->timeout ? (int)n->timeout : 1);
}

static void on_input(void) {
    struct notification* n;
    held = 0;
    wl_list_for_each(n, &notifications, link) {
        if (n->idle) {
            n->idle = 0;
            if (strcmp(n->kind, "kde") == 0)
                org_kde_kwin_idle_timeout_send_resumed(n->resource);
            else
                ext_idle_notification_v1_send_resumed(n->resource);
            say("resumed %s", n->kind);
        }
        restart(n);
    }
}

static void notification_gone(struct wl_resource* resource) {
    struct notification* n = wl_resource_get_user_data(resource);
    say("released %s", n->kind);
    wl_event_source_remove(n->timer);
    wl_list_remove(&n->link);
    free(n);
}

static void destroy_resource(struct wl_client* client, struct wl_resource* resource) {
    (void)client;
    wl_resource_destroy(resource);
}

static const struct ext_idle_notification_v1_interface ext_notification_impl = {destroy_resource};

static void simulate_activity(struct wl_client* client, struct wl_resource* resource) {
    (void)client;
    (void)resource;
    on_input();
}

static const struct org_kde_kwin_idle_timeout_interface kde_timeout_impl = {destroy_resource, simulate_activity};

static void add_notification(struct wl_client* client, struct wl_resource* parent, const struct wl_interface* interface,
                             const void* impl, uint32_t id, uint32_t timeout, const char* kind, int input_only) {
    struct notification* n = calloc(1, sizeof *n);
    n->resource = wl_resource_create(client, interface, wl_resource_get_version(parent), id);
    if (n == NULL || n->resource == NULL) {
        wl_client_post_no_memory(client);
        free(n);
        return;
    }
    n->kind = kind;
    n->timeout = timeout;
    n->input_only = input_only;
    n->timer = wl_event_loop_add_timer(wl_display_get_event_loop(display), on_timer, n);
    wl_resource_set_implementation(n->resource, impl, n, notification_gone);
    wl_list_insert(&notifications, &n->link);
    restart(n);
    say("armed %s %u", kind, timeout);
}

static void get_idle_notification(struct wl_client* client, struct wl_resource* resource, uint32_t id, uint32_t timeout,
                                  struct wl_resource* seat) {
    (void)seat;
    add_notification(client, resource, &ext_idle_notification_v1_interface, &ext_notification_impl, id, timeout, "ext",
                     0);
}

static void get_input_idle_notification(struct wl_client* client, struct wl_resource* resource, uint32_t id,
                                        uint32_t timeout, struct wl_resource* seat) {
    (void)seat;
    add_notification(client, resource, &ext_idle_notification_v1_interface, &ext_notification_impl, id, timeout,
                     "ext-input", 1);
}

/* The notifier's requests at version 2 (ext-idle-notifier-v2.h): destroy, get_idle_notification,
 * get_input_idle_notification. */
static const struct {
    void (*destroy)(struct wl_client*, struct wl_resource*);
    void (*get_idle_notification)(struct wl_client*, struct wl_resource*, uint32_t, uint32_t, struct wl_resource*);
    void (*get_input_idle_notification)(struct wl_client*, struct wl_resource*, uint32_t, uint32_t,
                                        struct wl_resource*);
} notifier_impl = {destroy_resource, get_idle_notification, get_input_idle_notification};

static void get_idle_timeout(struct wl_client* client, struct wl_resource* resource, uint32_t id,
                             struct wl_resource* seat, uint32_t timeout) {
    (void)seat;
    add_notification(client, resource, &org_kde_kwin_idle_timeout_interface, &kde_timeout_impl, id, timeout, "kde", 0);
}

static const struct org_kde_kwin_idle_interface kde_idle_impl = {get_idle_timeout};

static void bind_global(struct wl_client* client, void* data, uint32_t version, uint32_t id) {
    const struct wl_interface* interface = data;
    struct wl_resource* resource = wl_resource_create(client, interface, (int)version, id);
    if (resource == NULL) {
        wl_client_post_no_memory(client);
        return;
    }
    const void* impl = NULL;
    if (interface == &limber_ext_idle_notifier_v2_interface)
        impl = &notifier_impl;
    else if (interface == &org_kde_kwin_idle_interface)
        impl = &kde_idle_impl;
    /* wl_seat: no requests are expected (limberd only names the seat). */
    wl_resource_set_implementation(resource, impl, NULL, NULL);
    say("bound %s %u", interface->name, version);
}

static void on_client_gone(struct wl_listener* listener, void* data) {
    (void)data;
    wl_list_remove(&listener->link);
    free(listener);
    say("disconnected");
}

static void on_client(struct wl_listener* listener, void* data) {
    (void)listener;
    struct wl_listener* gone = calloc(1, sizeof *gone);
    if (gone == NULL) abort();
    gone->notify = on_client_gone;
    wl_client_add_destroy_listener(data, gone);
    say("connected");
}

static int on_signal(int number, void* data) {
    (void)number;
    (void)data;
    wl_display_terminate(display); /* the socket and its lock file go with it */
    return 0;
}

static struct wl_listener client_listener = {.notify = on_client};

static int on_stdin(int fd, uint32_t mask, void* data) {
    (void)mask;
    (void)data;
    char c;
    for (;;) {
        ssize_t got = read(fd, &c, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            wl_display_terminate(display);
            return 0;
        }
        if (c != '\n') {
            if (line_len + 1 < sizeof line) line[line_len++] = c;
            continue;
        }
        line[line_len] = '\0';
        line_len = 0;
        break;
    }
    if (strcmp(line, "input") == 0) {
        on_input();
    } else if (strcmp(line, "inhibit") == 0) {
        inhibited = 1;
    } else if (strcmp(line, "uninhibit") == 0) {
        inhibited = 0;
        struct notification* n;
        wl_list_for_each(n, &notifications, link) if (!n->idle && !n->input_only) restart(n);
    } else if (strcmp(line, "quit") == 0) {
        wl_display_terminate(display);
    } else {
        say("error: unknown command '%s' (input, inhibit, uninhibit, quit)", line);
    }
    return 0;
}

int main(int argc, char** argv) {
    int ext = 2, kde = 0;
    const char* socket = NULL;
    int commands = 0;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--ext") == 0 && i + 1 < argc) {
            ext = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--kde") == 0) {
            kde = 1;
        } else if (strcmp(argv[i], "--held") == 0) {
            held = 1;
        } else if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
            socket = argv[++i];
        } else if (strcmp(argv[i], "--commands") == 0 && i + 1 < argc) {
            const char* path = argv[++i];
            if ((commands = open(path, O_RDWR | O_CLOEXEC)) < 0) {
                fprintf(stderr, "%s: cannot open the command FIFO %s: %s\n", argv[0], path, strerror(errno));
                return 1;
            }
        } else {
            fprintf(stderr, "usage: %s [--ext 0|1|2] [--kde] [--held] [--socket NAME] [--commands FIFO]\n", argv[0]);
            return 2;
        }
    }
    if (ext < 0 || ext > 2) {
        fprintf(stderr, "%s: --ext takes 0 (not offered), 1 or 2, not %d\n", argv[0], ext);
        return 2;
    }
    wl_list_init(&notifications);
    display = wl_display_create();
    const char* name = socket;
    if (socket != NULL ? wl_display_add_socket(display, socket) != 0
                       : (name = wl_display_add_socket_auto(display)) == NULL) {
        fprintf(stderr, "%s: cannot add a Wayland socket in $XDG_RUNTIME_DIR: %s\n", argv[0], strerror(errno));
        return 1;
    }
    wl_display_add_client_created_listener(display, &client_listener);
    struct wl_event_source* on_term =
        wl_event_loop_add_signal(wl_display_get_event_loop(display), SIGTERM, on_signal, NULL);
    struct wl_event_source* on_int =
        wl_event_loop_add_signal(wl_display_get_event_loop(display), SIGINT, on_signal, NULL);
    wl_global_create(display, &wl_seat_interface, 1, (void*)&wl_seat_interface, bind_global);
    if (ext > 0)
        wl_global_create(display, &limber_ext_idle_notifier_v2_interface, ext,
                         (void*)&limber_ext_idle_notifier_v2_interface, bind_global);
    if (kde)
        wl_global_create(display, &org_kde_kwin_idle_interface, 1, (void*)&org_kde_kwin_idle_interface, bind_global);
    struct wl_event_source* on_commands =
        wl_event_loop_add_fd(wl_display_get_event_loop(display), commands, WL_EVENT_READABLE, on_stdin, NULL);
    say("ready %s", name);
    wl_display_run(display);
    /* Sources are not freed with the display's loop: removed here, so a sanitized run reports no leak. */
    wl_event_source_remove(on_commands);
    wl_event_source_remove(on_int);
    wl_event_source_remove(on_term);
    wl_display_destroy_clients(display);
    wl_display_destroy(display);
    return 0;
}
