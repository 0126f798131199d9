#include <limber/adapters/DataDirs.hpp>
#include <limber/adapters/DesktopNotifier.hpp>

#include "GLibHelpers.hpp"
#include "LeftOnPurpose.hpp"

#include <limber/adapters/NotificationStyle.hpp>
#include <limber/core/NoticeText.hpp>
#include <limber/core/Text.hpp>
#include <limber/core/Translate.hpp>

#include <libnotify/notify.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

namespace limber::adapters {

namespace {

using core::tr;

constexpr const char* server_name = "org.freedesktop.Notifications";

/** limber's own icon of a kind, by name: "limber-posture" (icons/limber-KIND.svg, installed into hicolor). */
std::string icon_for(core::Kind kind) { return "limber-" + std::string(core::to_string(kind)); }

/** Where limber's icons are (adapters/DataDirs.hpp); empty: only the name is sent, for servers whose theme has it. */
std::filesystem::path find_icon_dir() {
    return find_data_dir(LIMBER_ICON_SUBDIR, icon_for(core::Kind::custom) + ".svg");
}

NotifyUrgency urgency_of(core::Urgency u) {
    switch (u) {
        case core::Urgency::low:
            return NOTIFY_URGENCY_LOW;
        case core::Urgency::critical:
            return NOTIFY_URGENCY_CRITICAL;
        case core::Urgency::normal:
            break;
    }
    return NOTIFY_URGENCY_NORMAL;
}

std::string snooze_label(core::Duration d) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(d).count();
    // TRANSLATORS: a notification button: postpone the reminder by this many hours.
    if (secs % 3600 == 0) return core::format(tr("Snooze %lld h"), static_cast<long long>(secs / 3600));
    // TRANSLATORS: a notification button: postpone the reminder by this many minutes.
    if (secs % 60 == 0) return core::format(tr("Snooze %lld min"), static_cast<long long>(secs / 60));
    // TRANSLATORS: a notification button: postpone the reminder by this many seconds.
    return core::format(tr("Snooze %lld s"), static_cast<long long>(secs));
}

std::string markup_escaped(const std::string& text) {
    gchar* escaped = g_markup_escape_text(text.c_str(), static_cast<gssize>(text.size()));
    std::string out(escaped);
    g_free(escaped);
    return out;
}

}  // namespace

struct DesktopNotifier::Worker {
    struct Countdown;
    /** One notification on screen and the reminders it holds. */
    struct Slot {
        NotifyNotification* notification = nullptr;
        std::vector<std::string> names;
        std::string title;                       ///< of the notice shown, for a count-down
        core::Duration length{};                 ///< the notice's break; zero: only nudges
        core::Kind kind = core::Kind::custom;    ///< of the notice shown, for its icon
        std::unique_ptr<Countdown> countdown{};  ///< a break taken: its updates (see start_countdown)
        bool answered = false;  ///< a button was pressed: the close that follows is no answer of its own
    };

    /**
     * A break being taken: the notification shows core::countdown()'s few steps, each from a one-shot
     * timer on the worker's context armed for the next one only, so nothing wakes between reminders.
     * Owned by its slot: whoever drops the slot drops the timer with it.
     */
    struct Countdown {
        Worker* worker;
        NotifyNotification* notification;  // a reference of its own
        std::vector<core::CountdownStep> steps;
        std::size_t next = 0;
        gint64 started_us;
        GSource* source = nullptr;
        bool over = false;
        std::string names;  ///< for the log

        Countdown(Worker* w, NotifyNotification* n, std::vector<core::CountdownStep> s)
            : worker(w),
              notification(static_cast<NotifyNotification*>(g_object_ref(n))),
              steps(std::move(s)),
              started_us(g_get_monotonic_time()) {}
        ~Countdown() {
            if (source != nullptr) {
                g_source_destroy(source);
                g_source_unref(source);
            }
            g_object_unref(notification);
        }
        Countdown(const Countdown&) = delete;
        Countdown& operator=(const Countdown&) = delete;
    };

    // Owned by the DesktopNotifier on the owner's thread, which drops it first when it goes: a press
    // still queued for the owner's context then finds it expired, instead of calling into the owner.
    std::weak_ptr<const ActionHandler> on_action;
    std::weak_ptr<const ClosedHandler> on_closed;  // the same, for closes
    std::shared_ptr<spdlog::logger> log;
    GMainContext* owner_context;  // where on_action runs
    GMainContext* context;        // the worker's own
    GMainLoop* loop;
    std::thread thread;

    /** What the owner asked for: show a notice, withdraw a reminder, or something else to run there. */
    struct Job {
        std::optional<core::Notice> show;
        std::optional<std::string> withdraw;
        std::function<void()> call;
    };

    std::mutex queue_mutex;
    std::deque<Job> queue;
    bool drain_scheduled = false;

    std::mutex finished_mutex;
    std::condition_variable finished_cv;
    bool finished = false;

    // Touched only on the worker thread.
    GDBusConnection* bus = nullptr;
    guint watch_id = 0;
    bool server = false;
    bool server_seen = false;
    bool has_markup = false;
    bool has_actions = false;
    Server server_kind = Server::other;
    std::filesystem::path icon_dir = find_icon_dir();
    std::vector<Slot> slots;
    std::vector<NotifyNotification*> closed_notifications;  // closed by the server, to release

    Worker(const std::shared_ptr<const ActionHandler>& handler, const std::shared_ptr<const ClosedHandler>& closes)
        : on_action(handler),
          on_closed(closes),
          log(spdlog::get("notify") ? spdlog::get("notify") : spdlog::default_logger()),
          owner_context(g_main_context_ref_thread_default()),
          context(g_main_context_new()),
          loop(g_main_loop_new(context, FALSE)) {}

    ~Worker() {
        g_main_loop_unref(loop);
        g_main_context_unref(context);
        g_main_context_unref(owner_context);
    }

    void post(Job job) {
        {
            std::lock_guard lock(queue_mutex);
            queue.push_back(std::move(job));
            if (drain_scheduled) return;
            drain_scheduled = true;
        }
        g_main_context_invoke(context, &Worker::drain, this);
    }

    static gboolean drain(gpointer self_ptr) {
        auto* self = static_cast<Worker*>(self_ptr);
        for (;;) {
            Job job;
            {
                std::lock_guard lock(self->queue_mutex);
                for (;;) {
                    if (self->queue.empty()) {
                        self->drain_scheduled = false;
                        return G_SOURCE_REMOVE;
                    }
                    job = std::move(self->queue.front());
                    self->queue.pop_front();
                    if (!job.show || !superseded(*job.show, self->queue)) break;
                    self->log->debug("dropped a stale notice of {}: shown again or withdrawn since",
                                     core::join(job.show->names, ","));
                }
            }
            guarded("showing or withdrawing a notice", [&] {
                if (job.show)
                    self->show(*job.show);
                else if (job.withdraw)
                    self->withdraw(*job.withdraw);
                else if (job.call)
                    job.call();
            });
        }
    }

    /**
     * A notice is stale when every reminder it shows is shown again or withdrawn by a job after it:
     * the queue only grows while a server does not answer (SIGSTOP, a hang), and when it answers
     * again it gets the latest showing of each reminder, not every one it missed.
     */
    static bool superseded(const core::Notice& notice, const std::deque<Job>& later) {
        return std::all_of(notice.names.begin(), notice.names.end(), [&](const std::string& name) {
            return std::any_of(later.begin(), later.end(), [&](const Job& job) {
                if (job.withdraw) return *job.withdraw == name;
                return job.show &&
                       std::find(job.show->names.begin(), job.show->names.end(), name) != job.show->names.end();
            });
        });
    }

    void run() {
        pthread_setname_np(pthread_self(), "limber-notify");  // for top -H, gdb and the tests
        g_main_context_push_thread_default(context);
        GError* error = nullptr;
        bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
        if (bus == nullptr) {
            log->debug("notifier has no session bus: {}", error->message);
            g_error_free(error);
        } else {
            g_dbus_connection_set_exit_on_close(bus, FALSE);
            // AUTO_START lets D-Bus activate a server (dunst, mako) that only starts on demand.
            watch_id = g_bus_watch_name_on_connection(bus, server_name, G_BUS_NAME_WATCHER_FLAGS_AUTO_START,
                                                      &Worker::appeared, &Worker::vanished, this, nullptr);
        }
        g_main_loop_run(loop);
        drop_all(true);
        if (watch_id != 0) g_bus_unwatch_name(watch_id);
        if (server) notify_uninit();
        if (bus != nullptr) g_object_unref(bus);
        g_main_context_pop_thread_default(context);
        std::lock_guard lock(finished_mutex);
        finished = true;
        finished_cv.notify_all();
    }

    static void appeared(GDBusConnection*, const gchar*, const gchar* owner, gpointer self_ptr) {
        guarded("the notifier's server watch", [&] { static_cast<Worker*>(self_ptr)->server_appeared(owner); });
    }

    static void vanished(GDBusConnection* connection, const gchar*, gpointer self_ptr) {
        if (connection == nullptr) return;
        guarded("the notifier's server watch", [&] { static_cast<Worker*>(self_ptr)->server_vanished(); });
    }

    void server_appeared(const gchar* owner) {
        if (server) forget_server();  // a new owner: nothing of the old one is valid
        notify_init("limber");
        has_markup = has_actions = false;
        std::string caps_text;
        GList* caps = notify_get_server_caps();
        for (GList* c = caps; c != nullptr; c = c->next) {
            const std::string cap = static_cast<const char*>(c->data);
            has_markup = has_markup || cap == "body-markup";
            has_actions = has_actions || cap == "actions";
            caps_text += (caps_text.empty() ? "" : " ") + cap;
        }
        g_list_free_full(caps, g_free);
        char *name = nullptr, *vendor = nullptr, *version = nullptr, *spec = nullptr;
        if (notify_get_server_info(&name, &vendor, &version, &spec)) {
            server_kind = server_of(name != nullptr ? name : "");
            // TRANSLATORS: %1$s %2$s are the server's name and version, %3$s its bus name, %4$s what it can do.
            log->info("{}", core::format(core::tr("notification server %1$s %2$s appeared (%3$s; capabilities: %4$s)"),
                                         name, version != nullptr ? version : "", owner, caps_text.c_str()));
        } else {
            server_kind = Server::other;
            log->info("{}", core::format(core::tr("notification server appeared (%1$s; capabilities: %2$s)"), owner,
                                         caps_text.c_str()));
        }
        g_free(name);
        g_free(vendor);
        g_free(version);
        g_free(spec);
        server = true;
        server_seen = true;
    }

    void server_vanished() {
        if (server) {
            log->warn("{}", tr("notification server went away; reminders are written to this log until one appears"));
            forget_server();
        } else if (!server_seen) {
            log->warn("{}", tr("no notification server on the session bus; reminders are written to this log "
                               "until one appears"));
            server_seen = true;
        }
    }

    /** Drops every trace of the server, so ids and handlers of the old one can never match a new one. */
    void forget_server() {
        drop_all(false);
        notify_uninit();
        server = false;
    }

    void release_closed() {
        for (NotifyNotification* n : closed_notifications) g_object_unref(n);
        closed_notifications.clear();
    }

    void drop_all(bool close) {
        release_closed();
        for (auto& slot : slots) {
            if (close && server)
                withdraw(slot);
            else
                forget_closes(slot.notification);
            g_object_unref(slot.notification);
        }
        slots.clear();
    }

    Slot* slot_of(const std::string& name) {
        for (auto& slot : slots)
            if (std::find(slot.names.begin(), slot.names.end(), name) != slot.names.end()) return &slot;
        return nullptr;
    }

    Slot* slot_holding(NotifyNotification* n) {
        for (auto& slot : slots)
            if (slot.notification == n) return &slot;
        return nullptr;
    }

    void close_slot(Slot* slot) {
        withdraw(*slot);
        g_object_unref(slot->notification);
        slots.erase(slots.begin() + (slot - slots.data()));
    }

    /** Takes the slot's notification off the screen, on every server (also when limberd stops). */
    void withdraw(Slot& slot) {
        forget_closes(slot.notification);  // limberd closes it: that close is no answer
        if (keeps_closed_on_screen(server_kind)) take_down(slot);
        GError* error = nullptr;
        if (!notify_notification_close(slot.notification, &error)) {
            log->debug("closing a notification failed: {}", error->message);
            g_error_free(error);
        }
    }

    /**
     * Where CloseNotification leaves a bubble up (notification-daemon), the bubble is shown once more,
     * in place, with nothing to answer and a short expiry: the server takes that one down itself.
     */
    void take_down(Slot& slot) {
        NotifyNotification* n = slot.notification;
        decorate(n, slot.kind, false, true);
        notify_notification_set_timeout(n, take_down_ms);
        notify_notification_clear_actions(n);
        GError* error = nullptr;
        if (!notify_notification_show(n, &error)) {
            log->debug("taking a notification down failed: {}", error->message);
            g_error_free(error);
        }
    }

    void show(const core::Notice& notice) {
        release_closed();
        if (!server) return;
        // A count-down that has said "break over" is left to expire on the server.
        std::erase_if(slots, [this](Slot& slot) {
            if (!slot.countdown || !slot.countdown->over || !slot.names.empty()) return false;
            forget_closes(slot.notification);
            g_object_unref(slot.notification);
            return true;
        });
        // Reuse the first notification holding one of these reminders: the server replaces it in
        // place. Any other notification holding them loses them, and closes once empty.
        auto in_notice = [&](const std::string& n) {
            return std::find(notice.names.begin(), notice.names.end(), n) != notice.names.end();
        };
        Slot* reuse = nullptr;
        std::vector<NotifyNotification*> emptied;
        for (auto& slot : slots) {
            if (std::none_of(slot.names.begin(), slot.names.end(), in_notice)) continue;
            if (reuse == nullptr) {
                reuse = &slot;
                continue;
            }
            std::erase_if(slot.names, in_notice);
            if (slot.names.empty()) emptied.push_back(slot.notification);
        }
        NotifyNotification* reused = reuse != nullptr ? reuse->notification : nullptr;
        for (NotifyNotification* gone : emptied) close_slot(slot_holding(gone));
        std::string body = core::notice_body(notice);
        if (has_markup) body = markup_escaped(body);
        const std::string& title = notice.title;  // the summary is plain text for every server
        const std::string icon = icon_for(notice.kind);
        NotifyNotification* n;
        if (reused != nullptr) {
            n = reused;
            notify_notification_update(n, title.c_str(), body.c_str(), icon.c_str());
        } else {
            n = notify_notification_new(title.c_str(), body.c_str(), icon.c_str());
            Slot fresh;
            fresh.notification = n;
            slots.push_back(std::move(fresh));
            listen_for_close(n);
        }
        Slot& slot = *slot_holding(n);
        slot.names = notice.names;
        slot.title = notice.title;
        slot.length = notice.length;
        slot.kind = notice.kind;
        slot.countdown.reset();  // shown again: whatever count-down it held is over
        slot.answered = false;
        const NotificationStyle style = style_for(server_kind, notice);
        decorate(n, notice.kind, style.resident, style.transient);
        notify_notification_set_urgency(n, urgency_of(style.urgency));
        notify_notification_set_timeout(n, style.expire_ms);
        notify_notification_clear_actions(n);
        if (has_actions) {
            // Clicking the notification itself is Done: for a break, "I am taking it now". Not where
            // the server would draw it as a second Done button instead (xfce4-notifyd). Its label is
            // not "Done": mako's menu finds an action by label, and two "Done" made it pick neither.
            if (takes_default_action(server_kind))
                // TRANSLATORS: the label of a click on the notification itself (some servers list it in a
                // menu): it must differ from the "Done" button's, or mako's menu picks neither.
                notify_notification_add_action(n, "default", tr("Done (click)"), &Worker::action, this, nullptr);
            // TRANSLATORS: a notification button: the reminder is done (for a break: starts it).
            notify_notification_add_action(n, "done", tr("Done"), &Worker::action, this, nullptr);
            if (notice.can_snooze)
                notify_notification_add_action(n, "snooze", snooze_label(notice.snooze).c_str(), &Worker::action, this,
                                               nullptr);
            // TRANSLATORS: a notification button: skip this reminder this time.
            notify_notification_add_action(n, "skip", tr("Skip"), &Worker::action, this, nullptr);
        }
        GError* error = nullptr;
        if (!notify_notification_show(n, &error)) {
            log->warn("{}", core::format(tr("the notification server did not take the reminder: %s"), error->message));
            g_error_free(error);
        }
    }

    /** What every notification of limber carries: app, category, desktop entry, its icon as a file. */
    void decorate(NotifyNotification* n, core::Kind kind, bool resident, bool transient) {
        notify_notification_clear_hints(n);
        notify_notification_set_app_name(n, "limber");
        notify_notification_set_category(n, "x-limber.reminder");
        notify_notification_set_hint(n, "desktop-entry", g_variant_new_string("limber"));
        // By name for servers with an icon theme that has it (installed into hicolor), and as a file
        // for the others (dunst and mako look up no theme of ours): image-path wins where both work.
        if (!icon_dir.empty()) {
            const std::string file = (icon_dir / (icon_for(kind) + ".svg")).string();
            notify_notification_set_hint(n, "image-path", g_variant_new_string(file.c_str()));
        }
        if (resident) notify_notification_set_hint(n, "resident", g_variant_new_boolean(TRUE));
        if (transient) notify_notification_set_hint(n, "transient", g_variant_new_boolean(TRUE));
    }

    void withdraw(const std::string& name) {
        if (!server) return;
        Slot* slot = slot_of(name);
        if (slot == nullptr) return;
        std::erase(slot->names, name);
        // A break being taken keeps counting down after its Done closed the showing.
        if (slot->names.empty() && !slot->countdown) close_slot(slot);
    }

    /** Done (or a click) on a notice holding a break: the same notification counts the break down. */
    void start_countdown(Slot& slot) {
        if (slot.length <= core::Duration::zero() || slot.countdown) return;
        log->info("break taken: {} ({})", core::join(slot.names, ","), core::spoken_length(slot.length));
        // Merged, the notice's title is "2 reminders": the count-down says "Your break" instead.
        // TRANSLATORS: the title of the count-down of a break that several reminders asked for together.
        const std::string title = slot.names.size() == 1 ? slot.title : tr("Your break");
        slot.countdown = std::make_unique<Countdown>(this, slot.notification, core::countdown(title, slot.length));
        slot.countdown->names = core::join(slot.names, ",");
        count_down(*slot.countdown, slot.kind);
    }

    /** Shows the count-down's next step and arms the timer for the one after, if any. */
    void count_down(Countdown& c, core::Kind kind) {
        const core::CountdownStep& step = c.steps[c.next++];
        NotifyNotification* n = c.notification;
        std::string body = has_markup ? markup_escaped(step.body) : step.body;
        notify_notification_update(n, step.title.c_str(), body.c_str(), icon_for(kind).c_str());
        decorate(n, kind, !step.over, false);
        if (shows_progress(server_kind)) notify_notification_set_hint(n, "value", g_variant_new_int32(step.percent));
        notify_notification_set_urgency(n, NOTIFY_URGENCY_NORMAL);
        // On screen while the break lasts; "break over" goes by itself.
        notify_notification_set_timeout(n, step.over ? 10'000 : NOTIFY_EXPIRES_NEVER);
        notify_notification_clear_actions(n);
        GError* error = nullptr;
        if (!notify_notification_show(n, &error)) {
            log->debug("the count-down's update was not taken: {}", error->message);
            g_error_free(error);
        }
        if (step.over) {
            c.over = true;
            log->info("break over: {}", c.names);
            return;
        }
        const gint64 due_us =
            c.started_us + std::chrono::duration_cast<std::chrono::microseconds>(c.steps[c.next].at).count();
        const gint64 wait_ms = std::max<gint64>(0, (due_us - g_get_monotonic_time() + 999) / 1000);
        if (c.source != nullptr) g_source_unref(c.source);
        c.source = g_timeout_source_new(static_cast<guint>(wait_ms));
        struct Tick {
            Countdown* countdown;
            core::Kind kind;
        };
        g_source_set_callback(
            c.source,
            [](gpointer data) -> gboolean {
                auto* tick = static_cast<Tick*>(data);
                guarded("the break count-down",
                        [tick] { tick->countdown->worker->count_down(*tick->countdown, tick->kind); });
                return G_SOURCE_REMOVE;
            },
            new Tick{&c, kind}, [](gpointer data) { delete static_cast<Tick*>(data); });
        g_source_attach(c.source, context);
    }

    // --- NotificationClosed ---------------------------------------------------------------------

    void listen_for_close(NotifyNotification* n) { g_signal_connect(n, "closed", G_CALLBACK(&Worker::closed), this); }

    /** limberd replaces, withdraws or drops `n` itself: no close of it is an answer any more. */
    void forget_closes(NotifyNotification* n) {
        g_signal_handlers_disconnect_by_func(n, reinterpret_cast<gpointer>(&Worker::closed), this);
    }

    static void closed(NotifyNotification* n, gpointer self_ptr) {
        guarded("passing on a closed notification", [&] { static_cast<Worker*>(self_ptr)->closed_by_server(n); });
    }

    /** On the worker: the server closed `n` (it expired, or the person closed it); tells the owner why. */
    void closed_by_server(NotifyNotification* n) {
        Slot* slot = slot_holding(n);
        if (slot == nullptr) return;
        const gint code = notify_notification_get_closed_reason(n);
        const std::vector<std::string> names = std::move(slot->names);
        const bool answered = slot->answered;
        // Off the screen: nothing left to replace or close. Released later, not inside its own signal.
        forget_closes(n);
        slots.erase(slots.begin() + (slot - slots.data()));
        closed_notifications.push_back(n);
        // freedesktop reasons: 1 expired, 2 dismissed by the user, 3 CloseNotification, 4 undefined.
        const core::CloseReason reason = code == 1   ? core::CloseReason::expired
                                         : code == 2 ? core::CloseReason::dismissed
                                         : code == 3 ? core::CloseReason::by_limber
                                                     : core::CloseReason::undefined;
        log->debug("notification of {} closed (reason {}){}", core::join(names, ","), code,
                   answered ? " after a button press" : "");
        if (answered || reason == core::CloseReason::by_limber || names.empty()) return;
        struct Call {
            std::weak_ptr<const ClosedHandler> handler;
            std::vector<std::string> names;
            core::CloseReason reason;
        };
        g_main_context_invoke_full(
            owner_context, G_PRIORITY_DEFAULT,
            [](gpointer data) -> gboolean {
                auto* call = static_cast<Call*>(data);
                guarded("the notification close handler", [call] {
                    const auto handler = call->handler.lock();
                    if (handler && *handler) (*handler)(call->names, call->reason);
                });
                return G_SOURCE_REMOVE;
            },
            new Call{on_closed, names, reason}, [](gpointer data) { delete static_cast<Call*>(data); });
    }

    static void action(NotifyNotification* n, char* action, gpointer self_ptr) {
        guarded("passing on a button press", [&] { static_cast<Worker*>(self_ptr)->pressed(n, action); });
    }

    /** On the worker: hands the press to the owner's context, where the owner's handler runs. */
    void pressed(NotifyNotification* n, const std::string& key) {
        core::Answer answer;
        if (key == "done" || key == "default")
            answer = core::Answer::done;
        else if (key == "skip")
            answer = core::Answer::skip;
        else if (key == "snooze")
            answer = core::Answer::snooze;
        else
            return;
        std::vector<std::string> names;
        for (auto& slot : slots)
            if (slot.notification == n) {
                names = slot.names;
                slot.answered = true;
                if (answer == core::Answer::done && !names.empty()) start_countdown(slot);
            }
        if (names.empty()) return;
        struct Call {
            std::weak_ptr<const ActionHandler> handler;
            std::vector<std::string> names;
            core::Answer answer;
        };
        g_main_context_invoke_full(
            owner_context, G_PRIORITY_DEFAULT,
            [](gpointer data) -> gboolean {
                auto* call = static_cast<Call*>(data);
                guarded("the notification button handler", [call] {
                    if (const auto handler = call->handler.lock()) (*handler)(call->names, call->answer);
                });
                return G_SOURCE_REMOVE;
            },
            new Call{on_action, std::move(names), answer}, [](gpointer data) { delete static_cast<Call*>(data); });
    }
};

DesktopNotifier::DesktopNotifier(ActionHandler on_action, ClosedHandler on_closed)
    : on_action_(std::make_shared<const ActionHandler>(std::move(on_action))),
      on_closed_(std::make_shared<const ClosedHandler>(std::move(on_closed))),
      worker_(std::make_unique<Worker>(on_action_, on_closed_)) {
    worker_->thread = std::thread([w = worker_.get()] { w->run(); });
}

DesktopNotifier::~DesktopNotifier() {
    on_action_.reset();  // presses not yet delivered are dropped (see Worker::on_action)
    on_closed_.reset();  // and closes
    worker_->post({std::nullopt, std::nullopt, [w = worker_.get()] { g_main_loop_quit(w->loop); }});
    std::unique_lock lock(worker_->finished_mutex);
    // A hung server can hold the worker in a synchronous call for 25 s; never hold shutdown for it.
    if (worker_->finished_cv.wait_for(lock, std::chrono::seconds(2), [this] { return worker_->finished; })) {
        lock.unlock();
        worker_->thread.join();
    } else {
        lock.unlock();
        worker_->log->warn("{}", tr("the notification server is not answering; stopping without it"));
        worker_->thread.detach();
        // The detached thread still uses it; the process is ending. Not a leak to report.
        left_on_purpose(worker_.release());
    }
}

void DesktopNotifier::show(const core::Notice& notice) { worker_->post({notice, std::nullopt, nullptr}); }

void DesktopNotifier::withdraw(const std::string& name) { worker_->post({std::nullopt, name, nullptr}); }

}  // namespace limber::adapters
