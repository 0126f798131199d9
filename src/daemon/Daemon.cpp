#include <limber/daemon/Daemon.hpp>

#include <limber/adapters/BusInterface.hpp>
#include <limber/adapters/ProfileLoader.hpp>
#include <limber/adapters/Systemd.hpp>
#include <limber/core/Text.hpp>

#include <glib-unix.h>
#include <malloc.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>

namespace limber::daemon {
namespace {

using core::iso8601_local;
using core::join;

// Enum-to-text and enum-to-event: switches without a default, so -Wswitch names a value added and not mapped here.

/** The word the "answered" log line uses. */
const char* said(core::Answer answer) {
    switch (answer) {
        case core::Answer::done:
            return "done";
        case core::Answer::skip:
            return "skipped";
        case core::Answer::snooze:
            return "snoozed";
    }
    return "?";
}

/** The history event an outcome is recorded as. */
core::EventKind event_for(core::Outcome outcome) {
    switch (outcome) {
        case core::Outcome::done:
            return core::EventKind::done;
        case core::Outcome::skipped:
            return core::EventKind::skipped;
        case core::Outcome::snoozed:
            return core::EventKind::snoozed;
        case core::Outcome::natural:
            return core::EventKind::natural;
        case core::Outcome::missed:
            return core::EventKind::missed;
    }
    return core::EventKind::unknown;
}

/** The word presence log lines use for a reason to be away. */
const char* away_word(core::Away reason) {
    switch (reason) {
        case core::Away::idle:
            return "idle";
        case core::Away::locked:
            return "locked";
        case core::Away::asleep:
            return "asleep";
    }
    return "";
}

/** "20:45", the wall-clock time `from_now` ahead. */
std::string clock_time_in(core::Duration from_now) {
    const std::time_t at = std::time(nullptr) + std::chrono::duration_cast<std::chrono::seconds>(from_now).count();
    std::tm local{};
    ::localtime_r(&at, &local);
    char text[16];
    std::strftime(text, sizeof text, "%H:%M", &local);
    return text;
}

}  // namespace

Daemon::Daemon(std::optional<std::string> profile_option, core::Profile profile, const std::string& state_dir)
    : profile_option_(std::move(profile_option)),
      log_(spdlog::get("daemon")),
      core_log_(spdlog::get("core")),
      loop_(g_main_loop_new(nullptr, FALSE)),
      timer_([this] {
          check_sleep();
          scheduler_.tick();
          rearm();
      }),
      notifier_([this](const std::vector<std::string>& names, core::Answer answer) { on_action(names, answer); }),
      scheduler_(clock_, std::move(profile), *this),
      store_(state_dir),
      presence_log_(spdlog::get("presence")),
      presence_(*this) {}

Daemon::~Daemon() {
    presence_.stop();
    if (flush_source_ != 0) g_source_remove(flush_source_);
    service_.reset();
    if (name_id_ != 0) g_bus_unown_name(name_id_);
    if (bus_ != nullptr) g_object_unref(bus_);
    g_main_loop_unref(loop_);
}

int Daemon::run() {
    g_unix_signal_add(
        SIGTERM,
        [](gpointer self) -> gboolean {
            static_cast<Daemon*>(self)->stop(0);
            return G_SOURCE_CONTINUE;
        },
        this);
    g_unix_signal_add(
        SIGINT,
        [](gpointer self) -> gboolean {
            static_cast<Daemon*>(self)->stop(0);
            return G_SOURCE_CONTINUE;
        },
        this);
    g_unix_signal_add(
        SIGHUP,
        [](gpointer self) -> gboolean {
            static_cast<Daemon*>(self)->reload_on_signal();
            return G_SOURCE_CONTINUE;
        },
        this);

    GError* error = nullptr;
    bus_ = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
    if (bus_ == nullptr) {
        spdlog::get("bus")->warn(
            "no D-Bus session bus ({}); reminders are written to this log only. "
            "Run limberd in a desktop session, or try: dbus-run-session -- limberd",
            error->message);
        g_error_free(error);
        ready();
    } else {
        g_dbus_connection_set_exit_on_close(bus_, FALSE);
        service_ = std::make_unique<adapters::BusService>(bus_, *this);
        name_id_ = g_bus_own_name_on_connection(bus_, bus::name, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                &Daemon::name_acquired, &Daemon::name_lost, this, nullptr);
    }
    presence_.start(bus_, scheduler_.profile().general.idle_after);
    // Without a session bus ready() came first: tell it about the sources now there (logind, X11).
    if (bus_ == nullptr) on_sources_changed();
    g_main_loop_run(loop_);
    adapters::notify_systemd("STOPPING=1");
    if (is_ready_ && exit_status_ == 0) store_.save(scheduler_.snapshot(), true);
    // Active time ends here; after a crash it ends at the last event recorded (core::active_time).
    if (history_) record(core::EventKind::stop);
    log_->info("stopped");
    return exit_status_;
}

void Daemon::name_acquired(GDBusConnection*, const gchar* name, gpointer self_ptr) {
    auto* self = static_cast<Daemon*>(self_ptr);
    self->name_owned_ = true;
    spdlog::get("bus")->debug("owns {}", name);
    self->ready();
}

void Daemon::name_lost(GDBusConnection* connection, const gchar* name, gpointer self_ptr) {
    auto* self = static_cast<Daemon*>(self_ptr);
    if (!self->name_owned_ && connection != nullptr) {
        spdlog::get("bus")->error(
            "limberd is already running in this session ({} is taken); "
            "see it with: limberctl status, or stop it with: systemctl --user stop limber",
            name);
        self->stop(1);
        return;
    }
    self->name_owned_ = false;
    spdlog::get("bus")->warn("lost the session bus; reminders continue on this log");
    if (!self->is_ready_) self->ready();
}

void Daemon::ready() {
    if (is_ready_) return;
    is_ready_ = true;
    // Only the one limberd of the session reads and writes the state.
    if (auto saved = store_.load()) {
        if (!saved->same_day) {
            // A new day starts every clock afresh; only an open-ended pause is kept.
            saved->snapshot.clocks.clear();
            saved->snapshot.paused = saved->snapshot.paused && !saved->snapshot.pause_left;
        }
        // After a crash the time since the last save was not all spent away (limberd saves on changes,
        // not continuously): the clocks continue as saved rather than being credited a break.
        scheduler_.restore(saved->snapshot, saved->down_for, saved->stopped);
        log_->info("continued from {} (saved {} ago{})", store_.path(), core::format_duration(saved->down_for),
                   saved->stopped ? "" : "; limberd did not stop cleanly, so the clocks go on from that save");
    }
    // A pause that continues across the restart was recorded when it began.
    recorded_paused_ = scheduler_.paused();
    history_ = std::make_unique<adapters::HistoryStore>(
        store_.dir() + "/history.sqlite", adapters::HistoryStore::Mode::write,
        [](bool warning, const std::string& line) {
            spdlog::get("store")->log(warning ? spdlog::level::warn : spdlog::level::info, "{}", line);
        });
    // Prunes now, then on the first event of each new day: no wake-up of its own.
    history_->set_retention(scheduler_.profile().general.keep_history);
    if (history_->available()) log_->info("history in {}", history_->path());
    // Presence is not known until a source answers (on_sources_changed records it then).
    record(core::EventKind::start);
    recorded_presence_ = core::EventKind::unknown;
    // Checking and pruning read the whole file: give that memory back before idling.
    history_->release_memory();
    ::malloc_trim(0);
    log_plan();
    on_sources_changed();
    scheduler_.tick();
    rearm();
    adapters::notify_systemd("READY=1\nSTATUS=Reminding");
    log_->info("ready");
}

void Daemon::log_plan() {
    const core::Profile& p = scheduler_.profile();
    log_->info("profile {}: {} reminder{}", p.origin, p.reminders.size(), p.reminders.size() == 1 ? "" : "s");
    bool any = false;
    for (const auto& s : scheduler_.status()) {
        if (!s.enabled) {
            log_->info("  {:<12} disabled", s.name);
            continue;
        }
        any = true;
        const std::string kind =
            s.duration == core::Duration::zero() ? "a nudge" : "a " + core::format_duration(s.duration) + " break";
        if (s.running)
            log_->info("  {:<12} every {}, {}; next in {} (at {})", s.name, core::format_duration(s.every), kind,
                       core::format_duration(s.due_in), clock_time_in(s.due_in));
        else
            log_->info("  {:<12} every {}, {}; outside its active hours now", s.name, core::format_duration(s.every),
                       kind);
    }
    if (!any) log_->info("no reminder is enabled; limberd idles");
}

void Daemon::rearm() { timer_.arm(scheduler_.next_deadline()); }

void Daemon::stop(int status) {
    exit_status_ = status;
    g_main_loop_quit(loop_);
}

void Daemon::reload_on_signal() {
    try {
        reload();
    } catch (const core::ControlError&) {
        // Already logged by reload().
    }
}

std::string Daemon::reload() {
    adapters::notify_systemd("RELOADING=1");
    auto result = adapters::load_profile(adapters::locate_profile(profile_option_));
    adapters::notify_systemd("READY=1");
    if (!result.profile) {
        // Logged whoever asked (SIGHUP or limberctl), so the journal tells why a reload did nothing.
        std::string report = result.report();
        if (!report.empty() && report.back() == '\n') report.pop_back();
        for (std::string_view rest = report; !rest.empty();) {
            const auto end = rest.find('\n');
            log_->error("{}", rest.substr(0, end));
            rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        }
        log_->warn("reload failed: keeping the running profile {}", scheduler_.profile().origin);
        throw core::ControlError(core::Refusal::invalid_profile, report);
    }
    scheduler_.replace_profile(std::move(*result.profile));
    presence_.set_idle_after(scheduler_.profile().general.idle_after);
    if (history_) history_->set_retention(scheduler_.profile().general.keep_history);
    log_->info("reloaded profile {}", scheduler_.profile().origin);
    log_plan();
    rearm();
    return scheduler_.profile().origin;
}

void Daemon::on_changed() {
    // A timed pause ends inside the scheduler; logged here as resume() logs a requested end.
    if (is_ready_ && !resuming_ && recorded_paused_ && !scheduler_.paused())
        log_->info("resumed: the timed pause ended");
    record_pause_change();
    flush_soon();
}

void Daemon::record_pause_change() {
    if (!is_ready_ || scheduler_.paused() == recorded_paused_) return;
    recorded_paused_ = scheduler_.paused();
    record(recorded_paused_ ? core::EventKind::pause : core::EventKind::resume);
}

void Daemon::record(core::EventKind kind, const std::string& reminder, int ml) {
    if (history_) history_->record(adapters::HistoryStore::now_event(kind, reminder, ml));
}

void Daemon::record_presence(std::optional<std::int64_t> left_at) {
    // Not before every source has answered at start: no present-then-locked flicker in the history.
    if (!history_ || !sources_logged_) return;
    const core::EventKind now_kind = !presence_.known()  ? core::EventKind::unknown
                                     : board_.any_away() ? core::EventKind::away
                                                         : core::EventKind::present;
    if (now_kind == recorded_presence_) return;
    auto event = adapters::HistoryStore::now_event(now_kind);
    if (now_kind == core::EventKind::away && left_at && *left_at < event.at) {
        // Away since the last input (or since the machine slept), never before the last change recorded.
        event.at = std::max(*left_at, recorded_presence_at_);
        event.day = adapters::HistoryStore::local_day(event.at);
    }
    history_->record(event);
    recorded_presence_ = now_kind;
    recorded_presence_at_ = event.at;
}

core::WaterStatus Daemon::water() {
    core::WaterStatus w;
    if (history_) w.today_ml = history_->water_on(adapters::HistoryStore::local_day(std::time(nullptr)));
    w.goal_ml = core::water_plan(scheduler_.profile()).goal_ml;
    return w;
}

std::vector<core::DayCount> Daemon::history(core::CivilDay since) {
    if (!history_) return {};
    const auto start = std::chrono::steady_clock::now();
    auto counts = history_->counts(since);
    // Active time per day (rows of kind present), this run's open interval up to now.
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    for (auto& row : history_->active(since, core::Moment{now, adapters::HistoryStore::local_day(now)}))
        counts.push_back(std::move(row));
    const auto read = std::chrono::steady_clock::now();
    // Reading a year leaves SQLite's page cache and freed blocks behind: give them back, so the
    // idle footprint stays what it was.
    history_->release_memory();
    ::malloc_trim(0);
    const auto trimmed = std::chrono::steady_clock::now();
    using ms = std::chrono::duration<double, std::milli>;
    log_->debug("history: {} counts in {:.1f} ms (+{:.1f} ms giving memory back)", counts.size(),
                ms(read - start).count(), ms(trimmed - read).count());
    return counts;
}

std::pair<int, core::WaterStatus> Daemon::drank(int ml) {
    const int amount = ml > 0 ? ml : core::water_plan(scheduler_.profile()).glass_ml;
    record(core::EventKind::water, {}, amount);
    const auto w = water();
    log_->info("drank {}ml ({}ml today{})", amount, w.today_ml,
               w.goal_ml > 0 ? " of " + std::to_string(w.goal_ml) + "ml" : std::string());
    return {amount, w};
}

void Daemon::flush_soon() {
    if (flush_source_ != 0 || !is_ready_) return;
    flush_source_ = g_idle_add(
        [](gpointer self) -> gboolean {
            auto* daemon = static_cast<Daemon*>(self);
            daemon->flush_source_ = 0;
            daemon->flush();
            return G_SOURCE_REMOVE;
        },
        this);
}

void Daemon::flush() {
    store_.save(scheduler_.snapshot());
    if (service_) service_->refresh();
    pause_hooks();
}

void Daemon::run_hook(const char* event, const std::vector<std::string>& argv,
                      adapters::HookRunner::Environment details) {
    if (argv.empty()) return;
    details.emplace(details.begin(), "LIMBER_EVENT", event);
    hooks_.run(std::string("on_") + (std::string_view(event) == "resume" ? "pause" : event), argv, details,
               std::chrono::duration_cast<std::chrono::milliseconds>(scheduler_.profile().hooks.timeout));
}

void Daemon::pause_hooks() {
    const bool paused = scheduler_.paused();
    if (paused == hooked_paused_) return;
    hooked_paused_ = paused;
    const std::int64_t until = paused ? status().paused_until : 0;
    run_hook(paused ? "pause" : "resume", scheduler_.profile().hooks.on_pause,
             {{"LIMBER_PAUSED_UNTIL", until > 0 ? iso8601_local(until) : std::string()}});
}

std::string Daemon::known_names() const {
    std::string names;
    for (const auto& r : scheduler_.profile().reminders) names += (names.empty() ? "" : ", ") + r.name;
    return names.empty() ? "none (the profile has no reminders)" : names;
}

core::DaemonStatus Daemon::status() {
    check_sleep();
    core::DaemonStatus s;
    s.state = scheduler_.state();
    if (const auto end = scheduler_.paused_until()) {
        // Wall time now plus what is left, both in microseconds, rounded once: the same second on every call.
        const auto left_us = std::max<std::int64_t>(
            0, std::chrono::duration_cast<std::chrono::microseconds>(*end - clock_.now()).count());
        s.paused_until = (g_get_real_time() + left_us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
    }
    s.profile = scheduler_.profile().origin;
    s.reminders = scheduler_.status();
    s.presence.sources = presence_.in_use();
    s.presence.idle = board_.away(core::Away::idle);
    s.presence.locked = board_.away(core::Away::locked);
    s.presence.asleep = board_.away(core::Away::asleep);
    s.presence.dnd = board_.dnd();
    s.water = water();
    return s;
}

void Daemon::pause(std::optional<core::Duration> length) {
    scheduler_.pause(length);
    record_pause_change();
    log_->info("paused {}", length ? "for " + core::format_duration(*length) : std::string("until resumed"));
    rearm();
}

void Daemon::resume() {
    if (!scheduler_.paused()) throw core::ControlError(core::Refusal::not_paused, "limberd is not paused");
    resuming_ = true;
    scheduler_.resume();
    resuming_ = false;
    record_pause_change();
    log_->info("resumed");
    rearm();
}

std::vector<std::string> Daemon::answer(const std::string& name, core::Answer answer,
                                        std::optional<core::Duration> snooze_for) {
    std::vector<std::string> names;
    if (!name.empty()) {
        names.push_back(name);
    } else {
        names = scheduler_.on_screen();
        if (names.empty() && answer == core::Answer::snooze) {
            // Nothing on screen: snooze the next one due.
            const core::ReminderStatus* next = nullptr;
            const auto all = scheduler_.status();
            for (const auto& r : all)
                if (r.enabled && (next == nullptr || r.due_in < next->due_in)) next = &r;
            if (next != nullptr) names.push_back(next->name);
        }
        if (names.empty())
            throw core::ControlError(core::Refusal::nothing_on_screen,
                                     "no reminder is on screen; name one (known reminders: " + known_names() + ")");
    }
    for (const auto& n : names) {
        switch (scheduler_.answer(n, answer, snooze_for)) {
            case core::Reply::ok:
                if (answer == core::Answer::done) {
                    // Done on a hydration reminder counts a glass (only an answer does: not a nudge left on screen).
                    const core::Reminder* r = scheduler_.profile().find(n);
                    if (r != nullptr && r->kind == core::Kind::hydration)
                        record(core::EventKind::water, n, r->glass_ml.value_or(250));
                }
                // Logged once everything it causes is recorded: the line means it is on disk.
                core_log_->info("answered {}: {}", n, said(answer));
                break;
            case core::Reply::unknown_reminder:
                throw core::ControlError(core::Refusal::unknown_reminder,
                                         "unknown reminder \"" + n + "\" (known reminders: " + known_names() + ")");
            case core::Reply::disabled:
                throw core::ControlError(core::Refusal::disabled, n + " is disabled in the profile");
            case core::Reply::snooze_limit:
                throw core::ControlError(core::Refusal::snooze_limit,
                                         n + " has been snoozed " +
                                             std::to_string(scheduler_.profile().general.max_snoozes) +
                                             " times (max_snoozes); answer it with done or skip");
        }
    }
    rearm();
    return names;
}

void Daemon::trigger(const std::string& name) {
    if (scheduler_.trigger(name) == core::Reply::unknown_reminder)
        throw core::ControlError(core::Refusal::unknown_reminder,
                                 "unknown reminder \"" + name + "\" (known reminders: " + known_names() + ")");
    rearm();
}

std::vector<std::pair<std::string, std::int64_t>> Daemon::schedule(core::Duration span) {
    const std::int64_t now = g_get_real_time() / G_USEC_PER_SEC;
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& show : scheduler_.plan(span))
        for (const auto& name : show.names)
            out.emplace_back(name, now + std::chrono::round<std::chrono::seconds>(show.after).count());
    return out;
}

void Daemon::on_show(const core::Notice& notice) {
    // Always on the log too: that is where reminders go when no server is there.
    core_log_->info("show {}: {}: {}{}", join(notice.names, ","), notice.title, notice.message,
                    notice.tip.empty() ? "" : " (" + notice.tip + ")");
    // Recorded before it is on screen: whatever the person can answer is already in the history.
    for (const auto& name : notice.names) record(core::EventKind::shown, name);
    notifier_.show(notice);
    if (service_) service_->emit_shown(notice.names, notice.title);
    if (!notice.names.empty()) {
        const core::Reminder* first = scheduler_.profile().find(notice.names.front());
        run_hook("shown", scheduler_.profile().hooks.on_shown,
                 {{"LIMBER_REMINDERS", join(notice.names, " ")},
                  {"LIMBER_REMINDER", notice.names.front()},
                  {"LIMBER_KIND", first != nullptr ? std::string(core::to_string(first->kind)) : "custom"},
                  {"LIMBER_TITLE", notice.title}});
    }
}

void Daemon::on_outcome(const std::string& name, core::Outcome outcome, bool withdraw) {
    // Answers are logged where they arrive; outcomes the scheduler decides on its own are logged here.
    const bool decided = outcome == core::Outcome::natural || outcome == core::Outcome::missed;
    core_log_->log(decided ? spdlog::level::info : spdlog::level::debug, "{}: {}", name, core::to_string(outcome));
    // Committed before the bus call that caused it returns: an acknowledged answer is on disk.
    record(event_for(outcome), name);
    if (withdraw) notifier_.withdraw(name);
    if (service_) service_->emit_answered(name, outcome);
    const core::Reminder* reminder = scheduler_.profile().find(name);
    run_hook("answered", scheduler_.profile().hooks.on_answered,
             {{"LIMBER_REMINDER", name},
              {"LIMBER_REMINDERS", name},
              {"LIMBER_KIND", reminder != nullptr ? std::string(core::to_string(reminder->kind)) : "custom"},
              {"LIMBER_OUTCOME", std::string(core::to_string(outcome))}});
}

void Daemon::on_action(const std::vector<std::string>& names, core::Answer answer) {
    // A button does exactly what the controller's command does.
    for (const auto& name : names) {
        try {
            this->answer(name, answer, std::nullopt);
        } catch (const core::ControlError& e) {
            core_log_->info("button ignored: {}", e.what());
        }
    }
}

// --- presence -------------------------------------------------------------------------------

void Daemon::on_report(const Report& report) {
    switch (report.signal) {
        case Signal::idle:
            on_away(report.source, core::Away::idle, report.on, report.since);
            return;
        case Signal::locked:
            on_away(report.source, core::Away::locked, report.on, report.since);
            return;
        case Signal::asleep:
            on_sleep(report.source, report.on);
            return;
        case Signal::dnd:
            on_dnd(report.source, report.on);
            return;
        case Signal::wall_clock:
            on_wall_clock_changed();
            return;
    }
}

std::string Daemon::describe_presence() const {
    std::string away;
    auto add = [&](core::Away reason, const char* word) {
        if (!board_.away(reason)) return;
        away += std::string(away.empty() ? "" : ", ") + word + " (" + join(board_.holders(reason), ", ") + ")";
    };
    add(core::Away::idle, "idle");
    add(core::Away::locked, "locked");
    add(core::Away::asleep, "asleep");
    std::string out = away.empty() ? "present" : "away: " + away;
    if (board_.dnd()) out += "; do-not-disturb (" + join(board_.dnd_holders(), ", ") + ")";
    return out;
}

void Daemon::on_sources_changed() {
    if (!is_ready_) return;
    // One line at start, once every source on the bus has answered; a line per change after that.
    if (!sources_logged_) {
        if (!presence_.settled()) return;
        sources_logged_ = true;
        logged_sources_ = join(presence_.in_use(), ", ");
        presence_log_->info("presence sources: {}; {}", logged_sources_.empty() ? "none" : logged_sources_,
                            describe_presence());
        record_presence();
        return;
    }
    record_presence();
    const std::string now = join(presence_.in_use(), ", ");
    if (now == logged_sources_) return;
    logged_sources_ = now;
    presence_log_->info("presence sources now: {}", now.empty() ? "none" : now);
    flush_soon();
}

void Daemon::check_sleep() {
    const core::Duration slept = presence_.slept();
    if (slept < std::chrono::seconds(1)) return;
    presence_log_->info("the machine slept for {}", core::format_duration(slept));
    scheduler_.resumed_from_sleep(slept);
    if (recorded_presence_ == core::EventKind::present && history_ && sources_logged_) {
        // A sleep nobody announced (no logind): away from when it began, present again now.
        const auto now = static_cast<std::int64_t>(std::time(nullptr));
        auto away = adapters::HistoryStore::now_event(core::EventKind::away);
        const auto began = now - std::chrono::duration_cast<std::chrono::seconds>(slept).count();
        away.at = std::min(std::max(began, recorded_presence_at_), now);  // not before the last change recorded
        away.day = adapters::HistoryStore::local_day(away.at);
        history_->record(away);
        recorded_presence_ = core::EventKind::away;
        recorded_presence_at_ = away.at;
        record_presence();
    }
    rearm();
}

void Daemon::on_away(const std::string& source, core::Away reason, bool away, std::optional<core::Instant> since) {
    check_sleep();
    const bool changed = board_.set_away(source, reason, away);
    presence_log_->debug("{}: {} {}{}", source, away_word(reason), away ? "began" : "ended",
                         since ? fmt::format(" {} ago", core::format_duration(clock_.now() - *since)) : "");
    if (!changed) return;
    presence_log_->info("{} ({}): {}", away ? "away" : "back", source, describe_presence());
    scheduler_.set_away(reason, away, since);
    std::optional<std::int64_t> left_at;
    if (away && since) {
        const auto ago = std::chrono::duration_cast<std::chrono::seconds>(clock_.now() - *since).count();
        left_at = static_cast<std::int64_t>(std::time(nullptr)) - std::max<std::int64_t>(0, ago);
    }
    record_presence(left_at);
    rearm();
    flush_soon();
}

void Daemon::on_dnd(const std::string& source, bool on) {
    check_sleep();
    if (!board_.set_dnd(source, on)) return;
    presence_log_->info(
        "do-not-disturb {} ({}){}", on ? "on" : "off", source,
        on && !scheduler_.profile().general.respect_dnd ? "; respect_dnd = false: reminders continue" : "");
    scheduler_.set_dnd(on);
    rearm();
    flush_soon();
}

void Daemon::on_sleep(const std::string& source, bool sleeping) {
    check_sleep();
    if (sleeping) {
        presence_log_->info("the machine is going to sleep");
        if (board_.set_away(source, core::Away::asleep, true)) scheduler_.set_away(core::Away::asleep, true);
        // Written now, while logind waits for us (the delay inhibitor is released after this returns).
        store_.save(scheduler_.snapshot());
        record_presence();
    } else {
        presence_log_->info("the machine woke up");
        if (board_.set_away(source, core::Away::asleep, false)) scheduler_.set_away(core::Away::asleep, false);
        record_presence();
    }
    rearm();
    flush_soon();
}

void Daemon::on_wall_clock_changed() {
    // At a resume the kernel cancels the wall-clock timer too: the sleep is credited first.
    check_sleep();
    presence_log_->info("the wall clock or time zone changed; active hours follow it");
    scheduler_.wall_clock_changed();
    rearm();
    flush_soon();
}

}  // namespace limber::daemon
