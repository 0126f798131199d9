#include "ext-idle-notifier-v2.h"

#include <wayland-util.h>

#include <stddef.h>

extern const struct wl_interface ext_idle_notification_v1_interface;
extern const struct wl_interface wl_seat_interface;

static const struct wl_interface* notification_types[] = {
    &ext_idle_notification_v1_interface,
    NULL,
    &wl_seat_interface,
};

static const struct wl_message notifier_requests[] = {
    {"destroy", "", NULL},
    {"get_idle_notification", "nuo", notification_types},
    {"get_input_idle_notification", "2nuo", notification_types},
};

const struct wl_interface limber_ext_idle_notifier_v2_interface = {
    "ext_idle_notifier_v1", 2, 3, notifier_requests, 0, NULL,
};
