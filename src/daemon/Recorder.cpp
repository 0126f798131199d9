#include <limber/daemon/Recorder.hpp>

#include <algorithm>
#include <chrono>

namespace limber::daemon {
namespace {

/** The history event an outcome is recorded as (a switch without default: -Wswitch names a value added). */
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
        case core::Outcome::dismissed:
            return core::EventKind::dismissed;
        case core::Outcome::ignored:
            return core::EventKind::ignored;
    }
    return core::EventKind::unknown;
}

}  // namespace

core::HistoryEvent Recorder::now_event(core::EventKind kind, std::string reminder, int ml) const {
    const std::int64_t now = wall_.now();
    return {now, wall_.day_of(now), kind, std::move(reminder), ml};
}

void Recorder::write(const core::HistoryEvent& event) {
    if (book_) book_->record(event);
}

void Recorder::open(std::unique_ptr<HistoryBook> book, core::Duration keep, bool paused) {
    book_ = std::move(book);
    // Prunes now, then on the first event of each new day: no wake-up of its own.
    book_->set_retention(keep);
    // A pause that continues across a restart was recorded when it began.
    recorded_paused_ = paused;
    // Presence is not known until a source answers.
    write(now_event(core::EventKind::start));
    recorded_presence_ = core::EventKind::unknown;
}

void Recorder::close() {
    write(now_event(core::EventKind::stop));
    book_.reset();
}

void Recorder::record(core::EventKind kind, const std::string& reminder, int ml) {
    write(now_event(kind, reminder, ml));
}

void Recorder::outcome(const std::string& reminder, core::Outcome outcome) { record(event_for(outcome), reminder); }

bool Recorder::pause_state(bool paused) {
    if (!book_ || paused == recorded_paused_) return false;
    recorded_paused_ = paused;
    record(paused ? core::EventKind::pause : core::EventKind::resume);
    return true;
}

void Recorder::presence(core::EventKind now_kind, std::optional<std::int64_t> left_at) {
    if (!book_ || !presence_ready_ || now_kind == recorded_presence_) return;
    auto event = now_event(now_kind);
    if (now_kind == core::EventKind::away && left_at && *left_at < event.at) {
        // Away since the last input (or since the machine slept), never before the last change recorded.
        event.at = std::max(*left_at, recorded_presence_at_);
        event.day = wall_.day_of(event.at);
    }
    write(event);
    recorded_presence_ = now_kind;
    recorded_presence_at_ = event.at;
}

bool Recorder::slept(core::Duration slept) {
    if (recorded_presence_ != core::EventKind::present || !book_ || !presence_ready_) return false;
    const std::int64_t now = wall_.now();
    auto away = now_event(core::EventKind::away);
    const auto began = now - std::chrono::duration_cast<std::chrono::seconds>(slept).count();
    away.at = std::min(std::max(began, recorded_presence_at_), now);  // not before the last change recorded
    away.day = wall_.day_of(away.at);
    write(away);
    recorded_presence_ = core::EventKind::away;
    recorded_presence_at_ = away.at;
    return true;
}

core::WaterStatus Recorder::water(int goal_ml) {
    core::WaterStatus w;
    if (book_) w.today_ml = book_->water_on(wall_.day_of(wall_.now()));
    w.goal_ml = goal_ml;
    return w;
}

std::vector<core::DayCount> Recorder::history(core::CivilDay since) {
    if (!book_) return {};
    const std::int64_t now = wall_.now();
    return book_->day_counts(since, core::Moment{now, wall_.day_of(now)});
}

void Recorder::set_retention(core::Duration keep) {
    if (book_) book_->set_retention(keep);
}

}  // namespace limber::daemon
