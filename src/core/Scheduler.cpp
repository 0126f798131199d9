#include <limber/core/Scheduler.hpp>

#include <limber/core/Checked.hpp>
#include <limber/core/NoticeText.hpp>

#include <algorithm>
#include <limits>
#include <map>

namespace limber::core {

namespace {

/** The largest shift of local time that no clock step announces: a DST change (the system
    clock does not move, so TFD_TIMER_CANCEL_ON_SET stays silent). Two hours cover every zone. */
constexpr Duration dst_slack = std::chrono::hours(2);

/** With merge_within = "0s", reminders due at one instant go out this far apart: unmerged, and never two at once. */
constexpr Duration unmerged_gap = std::chrono::seconds(1);

/** Wait for a window edge `seconds` away on the wall clock. A far edge is approached in two
    steps, waking dst_slack early to read the wall clock again, so a DST change overnight
    moves the morning's start instead of making it late by an hour (rule 8). */
Duration until_edge(int seconds) {
    const Duration edge = std::chrono::seconds(seconds);
    return edge > dst_slack ? edge - dst_slack : edge;
}

}  // namespace

std::string_view to_string(Outcome o) noexcept {
    switch (o) {
        case Outcome::done:
            return "done";
        case Outcome::skipped:
            return "skipped";
        case Outcome::snoozed:
            return "snoozed";
        case Outcome::natural:
            return "natural";
        case Outcome::missed:
            return "missed";
        case Outcome::dismissed:
            return "dismissed";
        case Outcome::ignored:
            return "ignored";
    }
    return "?";
}

std::string_view to_string(State s) noexcept {
    switch (s) {
        case State::active:
            return "active";
        case State::paused:
            return "paused";
        case State::away:
            return "away";
        case State::off_hours:
            return "off-hours";
        case State::dnd:
            return "dnd";
    }
    return "?";
}

Scheduler::Scheduler(const Clock& clock, Profile profile, SchedulerListener& listener)
    : clock_(clock), listener_(listener), last_sync_(clock.now()), last_refresh_(last_sync_) {
    adopt(std::move(profile), nullptr, nullptr);
}

void Scheduler::adopt(Profile profile, const std::vector<Track>* old_tracks, const Profile* old_profile) {
    std::vector<Track> tracks(profile.reminders.size());
    const LocalTime local = clock_.local_time();
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        const Reminder& r = profile.reminders[i];
        Track& t = tracks[i];
        t.target = r.every;
        t.in_window = r.window.contains(local);
        if (old_tracks == nullptr) continue;
        const Reminder* before = old_profile->find(r.name);
        if (before == nullptr) continue;
        const Track& old = (*old_tracks)[static_cast<std::size_t>(before - old_profile->reminders.data())];
        t.elapsed = old.elapsed;
        t.snoozes = old.snoozes;
        t.on_screen = old.on_screen;
        t.after_snooze = old.after_snooze;
        t.next_tip = old.next_tip;
        t.shown_at = old.shown_at;
        // A snoozed reminder keeps its postponed target; otherwise the new interval applies.
        if (old.target != before->every) t.target = old.target;
    }
    profile_ = std::move(profile);
    tracks_ = std::move(tracks);
}

void Scheduler::replace_profile(Profile profile) {
    sync();
    const Profile old_profile = std::move(profile_);
    const std::vector<Track> old_tracks = std::move(tracks_);
    adopt(std::move(profile), &old_tracks, &old_profile);
    for (std::size_t i = 0; i < old_tracks.size(); ++i) {
        const auto& name = old_profile.reminders[i].name;
        if (old_tracks[i].on_screen && profile_.find(name) == nullptr)
            listener_.on_outcome(name, Outcome::missed, true);
    }
    listener_.on_changed();
    tick();
}

void Scheduler::sync() {
    const Instant now = clock_.now();
    if (paused_ && pause_end_ && *pause_end_ <= now) {
        // The timed pause ended on its own; present time runs again from its end.
        last_sync_ = std::max(last_sync_, *pause_end_);
        paused_ = false;
        pause_end_.reset();
        listener_.on_changed();
    }
    if (now > last_sync_ && clocks_running()) {
        const Duration dt = now - last_sync_;
        for (std::size_t i = 0; i < tracks_.size(); ++i)
            if (profile_.reminders[i].enabled && tracks_[i].in_window) tracks_[i].elapsed += dt;
    }
    last_sync_ = std::max(last_sync_, now);
}

void Scheduler::refresh_windows(std::optional<Duration> unseen) {
    const LocalTime local = clock_.local_time();
    const Instant now = clock_.now();
    // How long since we last looked: a window that began within it began unobserved
    // (asleep overnight, paused over the evening, limberd down since yesterday).
    const Duration gap =
        unseen ? saturating_add(std::max(now - last_refresh_, Duration::zero()), *unseen) : Duration::zero();
    last_refresh_ = std::max(last_refresh_, now);
    // The stretch we are in began within the gap, by a margin no unannounced DST change
    // can fake: a fall-back makes local time lag the gap by up to dst_slack. The price: a
    // window closed for less than dst_slack and slept through is not seen as a new one.
    auto began_unseen = [&](const ActiveWindow& w) {
        const auto since_start = w.seconds_since_start(local);
        return since_start && std::chrono::seconds(*since_start) + dst_slack < gap;
    };
    bool changed = false;
    for (std::size_t i = 0; i < tracks_.size(); ++i) {
        const Reminder& r = profile_.reminders[i];
        Track& t = tracks_[i];
        const bool inside = r.window.contains(local);
        bool began = inside && !t.in_window;
        if (inside && t.in_window && gap > Duration::zero()) began = began_unseen(r.window);
        if (began) {
            // A new active window (a new working day) starts every clock afresh.
            // Left on screen since the last window: a nudge counts as done (rule 3), a break
            // was taken overnight if natural breaks count for it, else missed.
            if (t.on_screen) settle(i, !r.is_nudge() && r.natural_break ? Outcome::natural : unanswered(i), true);
            restart(i);
            t.snoozes = 0;
            t.after_snooze = false;
        }
        changed = changed || inside != t.in_window;
        t.in_window = inside;
    }
    if (changed) listener_.on_changed();
}

void Scheduler::restart(std::size_t i) {
    tracks_[i].elapsed = Duration::zero();
    tracks_[i].target = profile_.reminders[i].every;
}

void Scheduler::settle(std::size_t i, Outcome outcome, bool withdraw) {
    tracks_[i].on_screen = false;
    listener_.on_outcome(profile_.reminders[i].name, outcome, withdraw);
}

Outcome Scheduler::unanswered(std::size_t i) const {
    const Reminder& r = profile_.reminders[i];
    if (!r.is_nudge()) return Outcome::missed;
    return r.kind == Kind::hydration ? Outcome::ignored : Outcome::done;
}

Duration Scheduler::due_in(std::size_t i) const {
    const Track& t = tracks_[i];
    Duration left = t.target - t.elapsed;
    const Instant now = clock_.now();
    if (clocks_running() && t.in_window && profile_.reminders[i].enabled && now > last_sync_) left -= now - last_sync_;
    return std::max(left, Duration::zero());
}

std::optional<std::size_t> Scheduler::index_of(const std::string& name) const {
    for (std::size_t i = 0; i < profile_.reminders.size(); ++i)
        if (profile_.reminders[i].name == name) return i;
    return std::nullopt;
}

void Scheduler::tick() {
    sync();
    refresh_windows();
    show_due(false);
}

bool Scheduler::never_merge() const noexcept { return profile_.general.merge_within <= Duration::zero(); }

void Scheduler::show_due(bool held) {
    if (paused_ || away_ != 0 || holding()) return;
    auto eligible = [this](std::size_t i) { return profile_.reminders[i].enabled && tracks_[i].in_window; };
    auto left = [this](std::size_t i) { return tracks_[i].target - tracks_[i].elapsed; };
    std::optional<std::size_t> most_overdue;
    for (std::size_t i = 0; i < tracks_.size(); ++i)
        if (eligible(i) && left(i) <= Duration::zero() && (!most_overdue || left(i) < left(*most_overdue)))
            most_overdue = i;
    if (!most_overdue) return;
    if (never_merge() && !held) {
        // "0s" = never merge, even two due in the same second: the most overdue goes out alone, the
        // next one unmerged_gap later (next_deadline waits for it), never two at one instant.
        if (last_show_ && last_sync_ < saturating_add(*last_show_, unmerged_gap)) return;
        show({*most_overdue});
        return;
    }
    // Everything due, plus what falls due within merge_within, goes out as one notice; so does
    // what do-not-disturb held, whatever merge_within says (never a burst).
    std::vector<std::size_t> batch;
    for (std::size_t i = 0; i < tracks_.size(); ++i)
        if (eligible(i) && left(i) <= profile_.general.merge_within) batch.push_back(i);
    std::stable_sort(batch.begin(), batch.end(), [&left](std::size_t a, std::size_t b) { return left(a) < left(b); });
    show(std::move(batch));
}

void Scheduler::show(std::vector<std::size_t> indices) {
    const General& g = profile_.general;
    last_show_ = last_sync_;
    Notice notice;
    notice.snooze = g.snooze;
    for (std::size_t i : indices) {
        const Reminder& r = profile_.reminders[i];
        Track& t = tracks_[i];
        // Still on screen from last time: a nudge counts as done (water: ignored), a break as missed.
        if (t.on_screen) settle(i, unanswered(i), false);
        if (!t.after_snooze) t.snoozes = 0;
        t.after_snooze = false;
        restart(i);
        t.on_screen = true;
        t.shown_at = last_sync_;
        notice.names.push_back(r.name);
        // A merged notice keeps to one line per reminder (mako's default 300x100 px): no tip.
        if (indices.size() == 1 && !r.tips.empty()) notice.tip = r.tips[t.next_tip++ % r.tips.size()];
        notice.urgency = std::max(notice.urgency, r.urgency);
        notice.length = std::max(notice.length, r.duration);
        if (g.max_snoozes > 0 && t.snoozes >= g.max_snoozes) notice.can_snooze = false;
    }
    const Reminder& first = profile_.reminders[indices.front()];
    notice.kind = first.kind;
    if (indices.size() == 1) {
        notice.title = first.title;
        notice.message = first.message;
        notice.urgency = first.urgency;
    } else {
        notice.title = merged_title(indices.size());
        notice.urgency = Urgency::low;
        for (std::size_t i : indices) {
            const Reminder& r = profile_.reminders[i];
            notice.message += (notice.message.empty() ? "" : "\n") + merged_line(r);
            notice.urgency = std::max(notice.urgency, r.urgency);
        }
    }
    listener_.on_show(notice);
    listener_.on_changed();
}

std::optional<Instant> Scheduler::next_deadline() const {
    std::optional<Instant> best;
    auto consider = [&best](Instant at) {
        if (!best || at < *best) best = at;
    };
    if (paused_) {
        if (pause_end_) consider(*pause_end_);
        return best;
    }
    const LocalTime local = clock_.local_time();
    const Instant now = clock_.now();
    for (std::size_t i = 0; i < tracks_.size(); ++i) {
        const Reminder& r = profile_.reminders[i];
        if (!r.enabled) continue;
        if (!r.window.always()) consider(now + until_edge(r.window.seconds_to_next_edge(local)));
        if (away_ == 0 && !holding() && tracks_[i].in_window) {
            Instant at = saturating_add(last_sync_, std::max(tracks_[i].target - tracks_[i].elapsed, Duration::zero()));
            if (never_merge() && last_show_) at = std::max(at, saturating_add(*last_show_, unmerged_gap));
            consider(at);
        }
    }
    return best;
}

Reply Scheduler::answer(const std::string& name, Answer answer, std::optional<Duration> snooze_for) {
    sync();
    refresh_windows();
    const auto found = index_of(name);
    if (!found) return Reply::unknown_reminder;
    const std::size_t i = *found;
    Track& t = tracks_[i];
    if (!profile_.reminders[i].enabled) return Reply::disabled;
    if (answer == Answer::snooze) {
        const int limit = profile_.general.max_snoozes;
        if (limit > 0 && t.snoozes >= limit) return Reply::snooze_limit;
        const Duration length = bounded(snooze_for.value_or(profile_.general.snooze));
        // On screen: due again `length` from now; not yet due: postponed by `length`. Snoozes add up,
        // but never past the longest duration from now: a target stays a finite, reachable deadline.
        const Duration base = t.on_screen ? t.elapsed : std::max(t.target, t.elapsed);
        t.target = std::min(saturating_add(base, length), saturating_add(t.elapsed, longest_duration));
        if (t.snoozes < std::numeric_limits<int>::max()) ++t.snoozes;
        t.after_snooze = true;
        if (t.on_screen)
            settle(i, Outcome::snoozed, true);
        else
            listener_.on_outcome(name, Outcome::snoozed, false);
    } else {
        const Outcome outcome = answer == Answer::done ? Outcome::done : Outcome::skipped;
        // Answering one that is not on screen means "I did it now": its clock restarts.
        if (!t.on_screen) restart(i);
        t.snoozes = 0;
        t.after_snooze = false;
        if (t.on_screen)
            settle(i, outcome, true);
        else
            listener_.on_outcome(name, outcome, false);
    }
    listener_.on_changed();
    tick();
    return Reply::ok;
}

Reply Scheduler::closed(const std::string& name, CloseReason reason) {
    sync();
    refresh_windows();
    const auto found = index_of(name);
    if (!found) return Reply::unknown_reminder;
    const std::size_t i = *found;
    if (!tracks_[i].on_screen) return Reply::ok;  // answered already (a button closes it too), or never shown
    switch (reason) {
        case CloseReason::by_limber:
            return Reply::ok;
        case CloseReason::dismissed:
            settle(i, Outcome::dismissed, false);
            break;
        case CloseReason::expired:
        case CloseReason::undefined:
            settle(i, unanswered(i), false);
            break;
    }
    listener_.on_changed();
    return Reply::ok;
}

Reply Scheduler::trigger(const std::string& name) {
    sync();
    refresh_windows();
    const auto found = index_of(name);
    if (!found) return Reply::unknown_reminder;
    show({*found});
    return Reply::ok;
}

void Scheduler::pause(std::optional<Duration> length) {
    sync();
    paused_ = true;
    pause_end_.reset();
    if (length) pause_end_ = saturating_add(last_sync_, bounded(*length));
    listener_.on_changed();
}

void Scheduler::resume() {
    sync();
    if (!paused_) return;
    paused_ = false;
    pause_end_.reset();
    listener_.on_changed();
    tick();
}

void Scheduler::set_away(Away reason, bool away, std::optional<Instant> since) {
    sync();
    refresh_windows();
    const auto bit = static_cast<std::uint8_t>(reason);
    const std::uint8_t before = away_;
    if (away) {
        away_ |= bit;
        const Instant left = std::min(since.value_or(last_sync_), last_sync_);
        // Locked first, then idle reported from an earlier last input: the absence began then.
        if (before == 0 || left < away_since_) away_since_ = left;
    } else {
        away_ &= static_cast<std::uint8_t>(~bit);
        if (before != 0 && away_ == 0) credit_absence(last_sync_ - away_since_);
    }
    if (before != away_) listener_.on_changed();
    tick();
}

void Scheduler::resumed_from_sleep(Duration slept) {
    sync();
    if (away_ != 0) {
        // Still away (e.g. locked or marked asleep): the sleep lengthens this absence.
        away_since_ -= slept;
    } else {
        credit_absence(slept);
    }
    refresh_windows(slept);
    tick();
}

void Scheduler::credit_absence(Duration away_for) {
    if (away_for <= Duration::zero()) return;  // a lock blinked: no break, even with idle_after = 0
    for (std::size_t i = 0; i < tracks_.size(); ++i) {
        const Reminder& r = profile_.reminders[i];
        Track& t = tracks_[i];
        if (!r.enabled || !r.natural_break) continue;
        const Duration needed = r.is_nudge() ? profile_.general.idle_after : r.duration;
        if (away_for < needed) continue;
        if (t.on_screen)
            settle(i, Outcome::natural, true);
        else if (t.elapsed > Duration::zero())
            listener_.on_outcome(r.name, Outcome::natural, false);
        restart(i);
        t.snoozes = 0;
        t.after_snooze = false;
    }
    listener_.on_changed();
}

void Scheduler::set_dnd(bool on) {
    sync();
    if (dnd_ == on) return;
    const bool was_holding = holding();
    dnd_ = on;
    listener_.on_changed();
    refresh_windows();
    show_due(was_holding && !holding());  // what was held goes out as one notice
}

void Scheduler::wall_clock_changed() {
    sync();
    refresh_windows(std::nullopt);
    listener_.on_changed();
    tick();
}

State Scheduler::state() const {
    if (paused_) return State::paused;
    if (away_ != 0) return State::away;
    bool any_enabled = false, any_inside = false;
    for (std::size_t i = 0; i < tracks_.size(); ++i) {
        if (!profile_.reminders[i].enabled) continue;
        any_enabled = true;
        any_inside = any_inside || tracks_[i].in_window;
    }
    if (any_enabled && !any_inside) return State::off_hours;
    if (holding()) return State::dnd;
    return State::active;
}

std::vector<ReminderStatus> Scheduler::status() const {
    std::vector<ReminderStatus> out;
    for (std::size_t i = 0; i < tracks_.size(); ++i) {
        const Reminder& r = profile_.reminders[i];
        const Track& t = tracks_[i];
        out.push_back({r.name, r.kind, r.every, r.duration, due_in(i), t.snoozes, r.enabled, t.on_screen,
                       clocks_running() && r.enabled && t.in_window});
    }
    return out;
}

std::vector<std::string> Scheduler::on_screen() const {
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < tracks_.size(); ++i)
        if (tracks_[i].on_screen) shown.push_back(i);
    std::stable_sort(shown.begin(), shown.end(),
                     [this](std::size_t a, std::size_t b) { return tracks_[a].shown_at < tracks_[b].shown_at; });
    std::vector<std::string> names;
    for (std::size_t i : shown) names.push_back(profile_.reminders[i].name);
    return names;
}

}  // namespace limber::core

namespace limber::core {
namespace {

/** Time for plan(): starts where the real clock is and moves only when told. */
class PlanClock final : public Clock {
public:
    PlanClock(Instant now, LocalTime local) : start_(now), now_(now), local_(local) {}
    Instant now() const override { return now_; }
    LocalTime local_time() const override {
        const auto secs =
            local_.seconds_of_day + std::chrono::duration_cast<std::chrono::seconds>(now_ - start_).count();
        return {static_cast<int>((local_.weekday + secs / 86400) % 7), static_cast<int>(secs % 86400)};
    }
    void advance_to(Instant t) { now_ = t; }

private:
    Instant start_, now_;
    LocalTime local_;
};

class PlanRecorder final : public SchedulerListener {
public:
    PlanRecorder(const Clock& clock, Instant start) : clock_(clock), start_(start) {}
    void on_show(const Notice& n) override { shows.push_back({clock_.now() - start_, n.names}); }
    void on_outcome(const std::string&, Outcome, bool) override {}
    std::vector<PlannedShow> shows;

private:
    const Clock& clock_;
    Instant start_;
};

}  // namespace

std::vector<PlannedShow> Scheduler::plan(Duration span) const {
    const Instant start = clock_.now();
    PlanClock sim(start, clock_.local_time());
    PlanRecorder recorder(sim, start);
    Scheduler copy(sim, profile_, recorder);
    copy.tracks_ = tracks_;
    copy.last_sync_ = last_sync_;
    copy.last_refresh_ = last_refresh_;
    copy.paused_ = paused_;
    copy.pause_end_ = pause_end_;
    copy.last_show_ = last_show_;
    // Continuous presence: nobody away, nothing held, nothing still on screen.
    for (auto& t : copy.tracks_) t.on_screen = false;
    const Instant end = saturating_add(start, bounded(span));
    // At most most_showings names in all (a 1s reminder over days, a thousand merged reminders: enough
    // to tell), and never a second tick at the same instant that shows nothing (no progress: stop).
    std::size_t names = 0;
    bool idle_tick = false;
    while (names < most_showings) {
        const auto deadline = copy.next_deadline();
        if (!deadline || *deadline > end) break;
        if (*deadline <= sim.now() && idle_tick) break;
        sim.advance_to(std::max(*deadline, sim.now()));
        const std::size_t shows_before = recorder.shows.size();
        copy.tick();
        idle_tick = recorder.shows.size() == shows_before;
        for (std::size_t k = shows_before; k < recorder.shows.size(); ++k) names += recorder.shows[k].names.size();
    }
    // Cut to exactly most_showings names.
    while (names > most_showings) {
        auto& last = recorder.shows.back().names;
        const std::size_t drop = std::min(last.size(), names - most_showings);
        last.resize(last.size() - drop);
        names -= drop;
        if (last.empty()) recorder.shows.pop_back();
    }
    return std::move(recorder.shows);
}

SchedulerSnapshot Scheduler::snapshot() const {
    SchedulerSnapshot out;
    const Instant now = clock_.now();
    for (std::size_t i = 0; i < tracks_.size(); ++i) {
        const Track& t = tracks_[i];
        Duration elapsed = t.elapsed;
        if (clocks_running() && t.in_window && profile_.reminders[i].enabled && now > last_sync_)
            elapsed += now - last_sync_;
        out.clocks.push_back({profile_.reminders[i].name, elapsed, t.target, t.snoozes, t.after_snooze, t.next_tip});
    }
    out.paused = paused_;
    if (paused_ && pause_end_) out.pause_left = std::max(*pause_end_ - now, Duration::zero());
    return out;
}

void Scheduler::restore(const SchedulerSnapshot& saved, Duration down_for, bool away_while_down) {
    sync();
    for (const auto& c : saved.clocks) {
        const auto i = index_of(c.name);
        if (!i) continue;
        Track& t = tracks_[*i];
        const Reminder& r = profile_.reminders[*i];
        // Held in range, as a snooze holds them: a saved clock never makes a deadline in the past.
        t.elapsed = bounded(c.elapsed);
        // A snoozed target survives; an interval changed in the profile since then applies.
        t.target = c.after_snooze ? bounded(c.target, t.elapsed + longest_duration) : r.every;
        t.snoozes = std::max(c.snoozes, 0);
        t.after_snooze = c.after_snooze;
        t.next_tip = c.next_tip;
    }
    paused_ = saved.paused;
    pause_end_.reset();
    if (saved.paused && saved.pause_left) {
        const Duration left = bounded(*saved.pause_left), down = bounded(down_for);
        if (left <= down)
            paused_ = false;  // it ended while limberd was down
        else
            pause_end_ = saturating_add(last_sync_, left - down);
    }
    if (away_while_down && down_for > Duration::zero()) credit_absence(down_for);
    // Down since before today's window opened: a new working day, not a continuation (rule 7),
    // whether the time down was spent away or (after a crash) partly at the computer.
    refresh_windows(std::max(down_for, Duration::zero()));
    listener_.on_changed();
    tick();
}

}  // namespace limber::core
