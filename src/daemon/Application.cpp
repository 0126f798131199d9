#include <limber/daemon/Application.hpp>

#include <limber/core/Text.hpp>
#include <limber/core/Translate.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace limber::daemon {
namespace {

using core::join;

// Enum-to-text: switches without a default, so -Wswitch names a value added and not mapped here.

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

/** How a notification left the screen, for the log. */
const char* closed_word(core::CloseReason reason) {
    switch (reason) {
        case core::CloseReason::expired:
            return "expired (the server's timeout)";
        case core::CloseReason::dismissed:
            return "closed without a button";
        case core::CloseReason::by_limber:
            return "closed by limberd";
        case core::CloseReason::undefined:
            return "closed (no reason given: taken as expired)";
    }
    return "?";
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

std::int64_t whole_seconds(core::Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

/** A logger that is always there: limberd registers them at start; a test may not. */
std::shared_ptr<spdlog::logger> logger(const char* name) {
    if (auto log = spdlog::get(name)) return log;
    return std::make_shared<spdlog::logger>(name);
}

}  // namespace

Application::Application(const core::Clock& clock, const Wall& wall, core::Profile profile, Ports& ports,
                         core::Notifier& notifier, PresenceView& presence)
    : clock_(clock),
      wall_(wall),
      ports_(ports),
      notifier_(notifier),
      presence_(presence),
      scheduler_(clock, std::move(profile), *this),
      recorder_(wall),
      log_(logger("daemon")),
      core_log_(logger("core")),
      presence_log_(logger("presence")) {}

template <class Action>
auto Application::input(Action&& action) -> decltype(action()) {
    check_sleep();
    try {
        if constexpr (std::is_void_v<decltype(action())>) {
            action();
            settle();
        } else {
            auto result = action();
            settle();
            return result;
        }
    } catch (...) {
        // A refused request may have changed something before it was refused (the first of two answers).
        settle();
        throw;
    }
}

void Application::settle() {
    ports_.arm(scheduler_.next_deadline());
    if (changed_ && started_) {
        changed_ = false;
        ports_.flush_soon();
    }
}

void Application::start(std::optional<SavedState> saved, std::unique_ptr<HistoryBook> history) {
    if (started_) return;
    started_ = true;
    input([&] {
        if (saved) {
            if (!saved->same_day) {
                // A new day starts every clock afresh; only an open-ended pause is kept.
                saved->snapshot.clocks.clear();
                saved->snapshot.paused = saved->snapshot.paused && !saved->snapshot.pause_left;
            }
            // After a crash the time since the last save was not all spent away (limberd saves on changes,
            // not continuously): the clocks continue as saved rather than being credited a break.
            scheduler_.restore(saved->snapshot, saved->down_for, saved->stopped);
            const std::string ago = core::format_duration(saved->down_for);
            // TRANSLATORS: %1$s is the state file, %2$s how long ago it was saved (as typed: "1h 5m").
            log_->info("{}", saved->stopped
                                 ? core::format(core::tr("continued from %1$s (saved %2$s ago)"), saved->where.c_str(),
                                                ago.c_str())
                                 : core::format(core::tr("continued from %1$s (saved %2$s ago; limberd did not stop "
                                                         "cleanly, so the clocks go on from that save)"),
                                                saved->where.c_str(), ago.c_str()));
        }
        if (history) recorder_.open(std::move(history), scheduler_.profile().general.keep_history, scheduler_.paused());
        log_plan();
        on_sources_changed();
        scheduler_.tick();
    });
}

void Application::stop(bool clean) {
    if (started_ && clean) ports_.save(scheduler_.snapshot(), true);
    // Active time ends here; after a crash it ends at the last event recorded (core::active_time).
    recorder_.close();
}

void Application::log_plan() {
    const core::Profile& p = scheduler_.profile();
    const int count = static_cast<int>(p.reminders.size());
    const auto n = static_cast<unsigned long>(count);
    // TRANSLATORS: %1$s is the profile's path, %2$d how many reminders it has.
    log_->info(
        "{}", p.builtin()
                  ? core::format(core::trn("built-in profile: %d reminder", "built-in profile: %d reminders", n), count)
                  : core::format(core::trn("profile %1$s: %2$d reminder", "profile %1$s: %2$d reminders", n),
                                 p.origin.c_str(), count));
    bool any = false;
    for (const auto& s : scheduler_.status()) {
        if (!s.enabled) {
            log_->info("  {:<12} {}", s.name, core::tr("disabled"));
            continue;
        }
        any = true;
        const std::string every = core::format_duration(s.every);
        // TRANSLATORS: %s is a length as typed ("20s", "5m").
        const std::string kind = s.duration == core::Duration::zero()
                                     ? std::string(core::tr("a nudge"))
                                     : core::format(core::tr("a %s break"), core::format_duration(s.duration).c_str());
        if (s.running) {
            // "20:45": the wall-clock time it is due.
            const std::time_t at = wall_.now() + whole_seconds(s.due_in);
            std::tm local{};
            ::localtime_r(&at, &local);
            char clock_time[16];
            std::strftime(clock_time, sizeof clock_time, "%H:%M", &local);
            // TRANSLATORS: a reminder's plan: %1$s how often ("20m"), %2$s "a nudge" or "a 5m break", %3$s how
            // long until the next ("12m 30s"), %4$s the time of day it is due ("20:45").
            log_->info("  {:<12} {}", s.name,
                       core::format(core::tr("every %1$s, %2$s; next in %3$s (at %4$s)"), every.c_str(), kind.c_str(),
                                    core::format_duration(s.due_in).c_str(), clock_time));
        } else {
            // Its clock stands still: say why (paused and away stop every clock; else its hours).
            const core::State state = scheduler_.state();
            const char* why = state == core::State::paused ? core::tr("paused now")
                              : state == core::State::away ? core::tr("waiting while you are away")
                                                           : core::tr("outside its active hours now");
            // TRANSLATORS: a reminder's plan: %1$s how often ("20m"), %2$s "a nudge" or "a 5m break", %3$s why
            // its clock stands still ("paused now").
            log_->info("  {:<12} {}", s.name,
                       core::format(core::tr("every %1$s, %2$s; %3$s"), every.c_str(), kind.c_str(), why));
        }
    }
    if (!any) log_->info("{}", core::tr("no reminder is enabled; limberd idles"));
}

// --- the controller ---------------------------------------------------------------------------

std::int64_t Application::paused_until() const {
    const auto end = scheduler_.paused_until();
    if (!end) return 0;
    // Wall time now plus what is left, both in microseconds, cut to the second once: the same second on
    // every call, and never later than limberctl's own "now + length" (whole seconds, cut too), so
    // `pause 10m` answers "in 10m" and the next status says "in 10m" as well, not "in 11m".
    const auto left_us =
        std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(*end - clock_.now()).count());
    return (wall_.now_us() + left_us) / 1'000'000;
}

core::WaterStatus Application::water() { return recorder_.water(core::water_plan(scheduler_.profile()).goal_ml); }

core::DaemonStatus Application::status() {
    return input([&] {
        core::DaemonStatus s;
        s.state = scheduler_.state();
        s.paused_until = paused_until();
        s.profile = scheduler_.profile().origin;
        s.reminders = scheduler_.status();
        s.presence.sources = presence_.in_use();
        s.presence.idle = board_.away(core::Away::idle);
        s.presence.locked = board_.away(core::Away::locked);
        s.presence.asleep = board_.away(core::Away::asleep);
        s.presence.dnd = board_.dnd();
        s.water = water();
        return s;
    });
}

void Application::pause(std::optional<core::Duration> length) {
    input([&] {
        scheduler_.pause(length);
        record_pause_change();
        log_->info("{}", length ? core::format(core::tr("paused for %s"), core::format_duration(*length).c_str())
                                : std::string(core::tr("paused until resumed")));
    });
}

void Application::resume() {
    input([&] {
        if (!scheduler_.paused())
            throw core::ControlError(core::Refusal::not_paused, core::tr("limberd is not paused"));
        resuming_ = true;
        scheduler_.resume();
        resuming_ = false;
        record_pause_change();
        log_->info("{}", core::tr("resumed"));
    });
}

std::vector<std::string> Application::answer(const std::string& name, core::Answer answer,
                                             std::optional<core::Duration> snooze_for) {
    return input([&] {
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
                throw core::ControlError(
                    core::Refusal::nothing_on_screen,
                    core::format(core::tr("no reminder is on screen; name one (known reminders: %s)"),
                                 known_names().c_str()));
        }
        for (const auto& n : names) {
            switch (scheduler_.answer(n, answer, snooze_for)) {
                case core::Reply::ok:
                    if (answer == core::Answer::done) {
                        // Done on a hydration reminder counts a glass (only an answer does: not a nudge left on
                        // screen).
                        const core::Reminder* r = scheduler_.profile().find(n);
                        if (r != nullptr && r->kind == core::Kind::hydration)
                            recorder_.record(core::EventKind::water, n, r->glass_ml.value_or(250));
                    }
                    // Logged once everything it causes is recorded: the line means it is on disk.
                    core_log_->info("answered {}: {}", n, said(answer));
                    break;
                case core::Reply::unknown_reminder:
                    throw core::ControlError(core::Refusal::unknown_reminder, unknown_reminder(n));
                case core::Reply::disabled:
                    throw core::ControlError(core::Refusal::disabled,
                                             core::format(core::tr("%s is disabled in the profile"), n.c_str()));
                case core::Reply::snooze_limit:
                    throw core::ControlError(
                        core::Refusal::snooze_limit,
                        core::format(
                            core::tr("%s has been snoozed %d times (max_snoozes); answer it with done or skip"),
                            n.c_str(), scheduler_.profile().general.max_snoozes));
            }
        }
        return names;
    });
}

void Application::trigger(const std::string& name) {
    input([&] {
        if (scheduler_.trigger(name) == core::Reply::unknown_reminder)
            throw core::ControlError(core::Refusal::unknown_reminder, unknown_reminder(name));
    });
}

std::string Application::reload() {
    return input([&] {
        ProfileLoad result = ports_.load_profile();
        if (!result.profile) {
            // Logged whoever asked (SIGHUP or limberctl), so the journal tells why a reload did nothing.
            std::string report = std::move(result.report);
            if (!report.empty() && report.back() == '\n') report.pop_back();
            for (std::string_view rest = report; !rest.empty();) {
                const auto end = rest.find('\n');
                log_->error("{}", rest.substr(0, end));
                rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
            }
            const core::Profile& running = scheduler_.profile();
            log_->warn(
                "{}",
                running.builtin()
                    ? std::string(core::tr("reload failed: keeping the running profile (the built-in one)"))
                    : core::format(core::tr("reload failed: keeping the running profile %s"), running.origin.c_str()));
            throw core::ControlError(core::Refusal::invalid_profile, report);
        }
        scheduler_.replace_profile(std::move(*result.profile));
        presence_.set_idle_after(scheduler_.profile().general.idle_after);
        recorder_.set_retention(scheduler_.profile().general.keep_history);
        const core::Profile& loaded = scheduler_.profile();
        log_->info("{}", loaded.builtin() ? std::string(core::tr("reloaded the built-in profile"))
                                          : core::format(core::tr("reloaded profile %s"), loaded.origin.c_str()));
        log_plan();
        return scheduler_.profile().origin;
    });
}

void Application::reload_on_signal() {
    try {
        reload();
    } catch (const core::ControlError&) {
        // Already logged by reload().
    }
}

std::vector<std::pair<std::string, std::int64_t>> Application::schedule(core::Duration span) {
    return input([&] {
        const std::int64_t now = wall_.now();
        std::vector<std::pair<std::string, std::int64_t>> out;
        for (const auto& show : scheduler_.plan(span))
            for (const auto& name : show.names)
                out.emplace_back(name, now + std::chrono::round<std::chrono::seconds>(show.after).count());
        return out;
    });
}

std::vector<core::DayCount> Application::history(core::CivilDay since) {
    return input([&] { return recorder_.history(since); });
}

std::pair<int, core::WaterStatus> Application::drank(int ml) {
    return input([&] {
        const int amount = ml > 0 ? ml : core::water_plan(scheduler_.profile()).glass_ml;
        recorder_.record(core::EventKind::water, {}, amount);
        const auto w = water();
        log_->info("{}", w.goal_ml > 0 ? core::format(core::tr("drank %1$dml (%2$dml today of %3$dml)"), amount,
                                                      w.today_ml, w.goal_ml)
                                       : core::format(core::tr("drank %1$dml (%2$dml today)"), amount, w.today_ml));
        return std::pair{amount, w};
    });
}

// --- other inputs -----------------------------------------------------------------------------

void Application::on_deadline() {
    input([&] { scheduler_.tick(); });
}

void Application::on_buttons(const std::vector<std::string>& names, core::Answer answer) {
    for (const auto& name : names) {
        try {
            this->answer(name, answer, std::nullopt);
        } catch (const core::ControlError& e) {
            core_log_->info("button ignored: {}", e.what());
        }
    }
}

void Application::on_closed(const std::vector<std::string>& names, core::CloseReason reason) {
    input([&] {
        for (const auto& name : names) {
            const auto shown = scheduler_.on_screen();
            const bool was_on_screen = std::find(shown.begin(), shown.end(), name) != shown.end();
            scheduler_.closed(name, reason);
            if (was_on_screen) core_log_->info("{}: the notification was {}", name, closed_word(reason));
        }
    });
}

std::string Application::known_names() const {
    std::string names;
    for (const auto& r : scheduler_.profile().reminders) names += (names.empty() ? "" : ", ") + r.name;
    return names.empty() ? std::string(core::tr("none (the profile has no reminders)")) : names;
}

std::string Application::unknown_reminder(const std::string& name) const {
    return core::format(core::tr("unknown reminder \"%s\" (known reminders: %s)"), name.c_str(), known_names().c_str());
}

// --- what the scheduler decides ---------------------------------------------------------------

void Application::on_show(const core::Notice& notice) {
    // Always on the log too: that is where reminders go when no server is there.
    core_log_->info("show {}: {}: {}{}", join(notice.names, ","), notice.title, notice.message,
                    notice.tip.empty() ? "" : " (" + notice.tip + ")");
    // Recorded before it is on screen: whatever the person can answer is already in the history.
    for (const auto& name : notice.names) recorder_.record(core::EventKind::shown, name);
    notifier_.show(notice);
    ports_.shown(notice.names, notice.title);
    if (!notice.names.empty()) {
        const core::Reminder* first = scheduler_.profile().find(notice.names.front());
        run_hook("shown", scheduler_.profile().hooks.on_shown,
                 {{"LIMBER_REMINDERS", join(notice.names, " ")},
                  {"LIMBER_REMINDER", notice.names.front()},
                  {"LIMBER_KIND", first != nullptr ? std::string(core::to_string(first->kind)) : "custom"},
                  {"LIMBER_TITLE", notice.title}});
    }
}

void Application::on_outcome(const std::string& name, core::Outcome outcome, bool withdraw) {
    // Answers are logged where they arrive; outcomes the scheduler decides on its own are logged here.
    const bool decided = outcome == core::Outcome::natural || outcome == core::Outcome::missed ||
                         outcome == core::Outcome::dismissed || outcome == core::Outcome::ignored;
    core_log_->log(decided ? spdlog::level::info : spdlog::level::debug, "{}: {}", name, core::to_string(outcome));
    // Committed before the bus call that caused it returns: an acknowledged answer is on disk.
    recorder_.outcome(name, outcome);
    if (withdraw) notifier_.withdraw(name);
    ports_.answered(name, outcome);
    const core::Reminder* reminder = scheduler_.profile().find(name);
    run_hook("answered", scheduler_.profile().hooks.on_answered,
             {{"LIMBER_REMINDER", name},
              {"LIMBER_REMINDERS", name},
              {"LIMBER_KIND", reminder != nullptr ? std::string(core::to_string(reminder->kind)) : "custom"},
              {"LIMBER_OUTCOME", std::string(core::to_string(outcome))}});
}

void Application::on_changed() {
    // A timed pause ends inside the scheduler; logged here as resume() logs a requested end.
    if (started_ && !resuming_ && recorder_.recorded_paused() && !scheduler_.paused())
        log_->info("{}", core::tr("resumed: the timed pause ended"));
    record_pause_change();
    changed_ = true;
}

void Application::record_pause_change() {
    if (started_) recorder_.pause_state(scheduler_.paused());
}

void Application::flush() {
    ports_.save(scheduler_.snapshot(), false);
    ports_.publish();
    pause_hooks();
}

void Application::run_hook(const char* event, const std::vector<std::string>& argv, HookEnvironment details) {
    if (argv.empty()) return;
    details.emplace(details.begin(), "LIMBER_EVENT", event);
    ports_.run_hook(std::string("on_") + (std::string_view(event) == "resume" ? "pause" : event), argv, details,
                    scheduler_.profile().hooks.timeout);
}

void Application::pause_hooks() {
    const bool paused = scheduler_.paused();
    if (paused == hooked_paused_) return;
    hooked_paused_ = paused;
    const std::int64_t until = paused ? paused_until() : 0;
    run_hook(paused ? "pause" : "resume", scheduler_.profile().hooks.on_pause,
             {{"LIMBER_PAUSED_UNTIL", until > 0 ? core::iso8601_local(until) : std::string()}});
}

// --- presence ---------------------------------------------------------------------------------

std::string Application::describe_presence() const {
    std::string away;
    auto add = [&](core::Away reason, const char* word) {
        if (!board_.away(reason)) return;
        away += std::string(away.empty() ? "" : ", ") + word + " (" + join(board_.holders(reason), ", ") + ")";
    };
    // TRANSLATORS: why a person counts as away, followed by the sources that say so: "idle (x11-idle)".
    add(core::Away::idle, core::tr("idle"));
    add(core::Away::locked, core::tr("locked"));
    add(core::Away::asleep, core::tr("asleep"));
    std::string out =
        away.empty() ? std::string(core::tr("present")) : core::format(core::tr("away: %s"), away.c_str());
    // TRANSLATORS: %s lists the sources that ask for quiet ("gnome, fullscreen").
    if (board_.dnd()) out += core::format(core::tr("; do-not-disturb (%s)"), join(board_.dnd_holders(), ", ").c_str());
    return out;
}

void Application::record_presence(std::optional<std::int64_t> left_at) {
    const core::EventKind now = !presence_.known()  ? core::EventKind::unknown
                                : board_.any_away() ? core::EventKind::away
                                                    : core::EventKind::present;
    recorder_.presence(now, left_at);
}

void Application::on_sources_changed() {
    if (!started_) return;
    input([&] {
        // One line at start, once every source on the bus has answered; a line per change after that.
        if (!recorder_.presence_is_ready()) {
            if (!presence_.settled()) return;
            recorder_.presence_ready();
            logged_sources_ = join(presence_.in_use(), ", ");
            // TRANSLATORS: %1$s lists where limberd learns presence ("logind, x11-idle"), %2$s the presence now.
            presence_log_->info("{}", core::format(core::tr("presence sources: %1$s; %2$s"),
                                                   logged_sources_.empty() ? core::tr("none") : logged_sources_.c_str(),
                                                   describe_presence().c_str()));
            record_presence();
            return;
        }
        record_presence();
        const std::string now = join(presence_.in_use(), ", ");
        if (now == logged_sources_) return;
        logged_sources_ = now;
        presence_log_->info(
            "{}", core::format(core::tr("presence sources now: %s"), now.empty() ? core::tr("none") : now.c_str()));
        changed_ = true;
    });
}

void Application::check_sleep() {
    const core::Duration slept = presence_.slept();
    if (slept < std::chrono::seconds(1)) return;
    presence_log_->info("{}", core::format(core::tr("the machine slept for %s"), core::format_duration(slept).c_str()));
    scheduler_.resumed_from_sleep(slept);
    // A sleep nobody announced (no logind): away from when it began, present again now.
    if (recorder_.slept(slept)) record_presence();
}

void Application::on_report(const Report& report) {
    input([&] {
        switch (report.signal) {
            case Signal::idle:
            case Signal::locked:
                on_away(report);
                return;
            case Signal::asleep:
                on_sleep(report);
                return;
            case Signal::dnd:
                on_dnd(report);
                return;
            case Signal::wall_clock:
                on_wall_clock_changed();
                return;
        }
    });
}

void Application::on_away(const Report& report) {
    const core::Away reason = report.signal == Signal::locked ? core::Away::locked : core::Away::idle;
    const bool changed = board_.set_away(report.source, reason, report.on);
    presence_log_->debug(
        "{}: {} {}{}", report.source, away_word(reason), report.on ? "began" : "ended",
        report.since ? fmt::format(" {} ago", core::format_duration(clock_.now() - *report.since)) : "");
    if (!changed) return;
    // TRANSLATORS: %1$s is the source that noticed ("x11-idle"), %2$s the presence now.
    presence_log_->info("{}", core::format(report.on ? core::tr("away (%1$s): %2$s") : core::tr("back (%1$s): %2$s"),
                                           report.source.c_str(), describe_presence().c_str()));
    scheduler_.set_away(reason, report.on, report.since);
    std::optional<std::int64_t> left_at;
    if (report.on && report.since) {
        const auto ago = whole_seconds(clock_.now() - *report.since);
        left_at = wall_.now() - std::max<std::int64_t>(0, ago);
    }
    record_presence(left_at);
    changed_ = true;
}

void Application::on_dnd(const Report& report) {
    if (!board_.set_dnd(report.source, report.on)) return;
    // TRANSLATORS: %s is the source that asks for quiet ("gnome", "fullscreen"); respect_dnd is a profile setting.
    presence_log_->info("{}", !report.on ? core::format(core::tr("do-not-disturb off (%s)"), report.source.c_str())
                              : scheduler_.profile().general.respect_dnd
                                  ? core::format(core::tr("do-not-disturb on (%s)"), report.source.c_str())
                                  : core::format(core::tr("do-not-disturb on (%s); respect_dnd = false: reminders "
                                                          "continue"),
                                                 report.source.c_str()));
    scheduler_.set_dnd(report.on);
    changed_ = true;
}

void Application::on_sleep(const Report& report) {
    if (report.on) {
        presence_log_->info("{}", core::tr("the machine is going to sleep"));
        if (board_.set_away(report.source, core::Away::asleep, true)) scheduler_.set_away(core::Away::asleep, true);
        // Written now, while logind waits for us (the delay inhibitor is released after this returns).
        ports_.save(scheduler_.snapshot(), false);
        record_presence();
    } else {
        presence_log_->info("{}", core::tr("the machine woke up"));
        if (board_.set_away(report.source, core::Away::asleep, false)) scheduler_.set_away(core::Away::asleep, false);
        record_presence();
    }
    changed_ = true;
}

void Application::on_wall_clock_changed() {
    // At a resume the kernel cancels the wall-clock timer too: the sleep is credited first.
    presence_log_->info("{}", core::tr("the wall clock or time zone changed; active hours follow it"));
    scheduler_.wall_clock_changed();
    changed_ = true;
}

}  // namespace limber::daemon
