/* ext_idle_notifier_v1 at version 2, for the client (limberd) and the scripted test compositor.
 *
 * Version 2 adds get_input_idle_notification: idle from input alone, so an idle inhibitor (a
 * playing video) does not hide that the person left. Debian 12's wayland-protocols (1.31) ships
 * the protocol's version 1 only, so the generated ext_idle_notifier_v1_interface has two requests;
 * this is the same interface with the third request appended, as later wayland-protocols
 * releases define it (opcode 2, since 2, arguments as get_idle_notification). Everything else
 * (ext_idle_notification_v1, its idled/resumed events) is the code wayland-scanner generates. */
#ifndef LIMBER_EXT_IDLE_NOTIFIER_V2_H
#define LIMBER_EXT_IDLE_NOTIFIER_V2_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct wl_interface;

/** ext_idle_notifier_v1 with requests destroy (0), get_idle_notification (1) and
 * get_input_idle_notification (2, since version 2). */
extern const struct wl_interface limber_ext_idle_notifier_v2_interface;

/* The request's opcode, a #define as wayland-scanner writes opcodes. */
#define LIMBER_EXT_IDLE_NOTIFIER_GET_INPUT_IDLE_NOTIFICATION 2

#ifdef __cplusplus
}
#endif

#endif
