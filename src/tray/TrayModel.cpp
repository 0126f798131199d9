#include <limber/core/Translate.hpp>
#include <limber/ctl/Output.hpp>
#include <limber/tray/TrayModel.hpp>

#include <algorithm>
#include <cmath>

namespace limber::tray {
namespace {

using core::format;
using core::tr;
using core::trn;

/** The reminders in the order the menu lists them: on screen first, then the soonest due. */
std::vector<const bus::ReminderStatus*> in_order(const bus::Status& status) {
    std::vector<const bus::ReminderStatus*> out;
    for (const auto& r : status.reminders)
        if (r.enabled) out.push_back(&r);
    std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
        if (a->on_screen != b->on_screen) return a->on_screen;
        return a->due_in < b->due_in;
    });
    return out;
}

/**
 * The tray counts down in minutes only (limberctl's count-down shows seconds in the last minute): a
 * tooltip is read at a glance, and a second's tick would wake the tray sixty times before each reminder.
 * The last minute reads "in 1m", then "now".
 */
std::string count_down_text(std::int64_t seconds) { return ctl::in_time(seconds > 0 && seconds < 60 ? 60 : seconds); }

/** Seconds until count_down_text(seconds) shows something else as the seconds run down. */
std::optional<std::int64_t> count_down_changes_in(std::int64_t seconds) {
    if (seconds <= 0) return std::nullopt;  // "now": only an event moves it
    if (seconds <= 60) return seconds;      // "in 1m" until "now"
    return ctl::count_down_changes_in(seconds);
}

/** A reminder's count-down as the tray shows it. */
std::string when_text(const bus::Status& status, const bus::ReminderStatus& r) {
    if (r.on_screen) return tr("on screen");
    if (status.state == "active" && !r.running) return tr("outside its hours");
    return count_down_text(r.due_in);
}

std::string state_text(const bus::Status& status, TrayState state) {
    switch (state) {
        case TrayState::active:
            return tr("active");
        case TrayState::paused:
            return status.paused_until > 0 ? format(tr("paused until %s"), ctl::clock_time(status.paused_until).c_str())
                                           : std::string(tr("paused until you resume"));
        case TrayState::away:
            return tr("away from the computer");
        case TrayState::off_hours:
            return tr("outside active hours");
        case TrayState::dnd:
            return tr("holding reminders while do-not-disturb is on");
        case TrayState::not_running:
            return tr("not running");
    }
    return {};
}

std::string water_text(const bus::Status& status, int glass_ml) {
    const int glass = std::max(glass_ml, 1);
    const auto glasses = static_cast<int>(std::lround(static_cast<double>(status.water_today_ml) / glass));
    if (status.water_goal_ml <= 0)
        return format(trn("Water: %d glass today", "Water: %d glasses today", static_cast<unsigned long>(glasses)),
                      glasses);
    const auto goal = static_cast<int>((status.water_goal_ml + glass - 1) / glass);
    return format(trn("Water: %1$d of %2$d glass", "Water: %1$d of %2$d glasses", static_cast<unsigned long>(goal)),
                  glasses, goal);
}

}  // namespace

TrayState tray_state(const std::optional<bus::Status>& status) {
    if (!status) return TrayState::not_running;
    const std::string& s = status->state;
    if (s == "paused") return TrayState::paused;
    if (s == "away") return TrayState::away;
    if (s == "off-hours") return TrayState::off_hours;
    if (s == "dnd") return TrayState::dnd;
    return TrayState::active;
}

std::string icon_name(TrayState state) {
    switch (state) {
        case TrayState::active:
            return "limber-tray-active";
        case TrayState::paused:
            return "limber-tray-paused";
        case TrayState::away:
            return "limber-tray-away";
        case TrayState::off_hours:
            return "limber-tray-off-hours";
        case TrayState::dnd:
            return "limber-tray-dnd";
        case TrayState::not_running:
            return "limber-tray-not-running";
    }
    return {};
}

TrayModel tray_model(const std::optional<bus::Status>& status, const TraySettings& settings, std::time_t now) {
    TrayModel m;
    m.state = tray_state(status);
    m.icon = icon_name(m.state);
    m.running = status.has_value();
    // Passive lets a host tuck the item away (KDE's overflow; Waybar hides it): only outside active hours,
    // when there is nothing to do. Not running stays in sight: the grey icon is the news.
    m.item_status = m.state == TrayState::off_hours ? "Passive" : "Active";
    m.pause_tomorrow_until = tomorrow_at(settings.hours_start_min, now);
    m.pause_tomorrow_label = format(tr("Pause until tomorrow %s"), ctl::clock_time(m.pause_tomorrow_until).c_str());
    if (!status) {
        m.tooltip_title = tr("limber is not running");
        m.tooltip_body = tr("Start it with: systemctl --user start limber");
        m.upcoming = {tr("limberd is not running")};
        return m;
    }
    m.tooltip_title = format(tr("limber: %s"), state_text(*status, m.state).c_str());
    m.can_resume = m.state == TrayState::paused;
    m.water_label = water_text(*status, settings.glass_ml);

    const auto order = in_order(*status);
    if (order.empty()) {
        m.upcoming = {tr("No reminders: the profile has none")};
        return m;
    }
    for (const auto* r : order) {
        if (m.upcoming.size() == max_upcoming) break;
        m.upcoming.push_back(format(tr("%1$s: %2$s"), r->name.c_str(), when_text(*status, *r).c_str()));
    }
    const auto* next = order.front();
    m.tooltip_body = format(tr("%1$s %2$s"), next->name.c_str(), when_text(*status, *next).c_str());
    m.snooze_label = format(tr("Snooze %s"), next->name.c_str());
    std::string on_screen;
    for (const auto* r : order)
        if (r->on_screen) on_screen += (on_screen.empty() ? "" : ", ") + r->name;
    if (!on_screen.empty()) m.done_label = format(tr("Done: %s"), on_screen.c_str());

    // Only an active limberd's clocks run; the count-downs shown are the upcoming ones.
    if (m.state == TrayState::active) {
        std::size_t shown = 0;
        for (const auto* r : order) {
            if (shown++ == max_upcoming) break;
            if (r->on_screen || !r->running) continue;
            if (auto c = count_down_changes_in(r->due_in); c && (!m.changes_in || *c < *m.changes_in)) m.changes_in = c;
        }
    }
    return m;
}

bus::Status advance(bus::Status status, std::int64_t elapsed) {
    if (status.state != "active" || elapsed <= 0) return status;
    for (auto& r : status.reminders)
        if (r.enabled && r.running && !r.on_screen) r.due_in = std::max<std::int64_t>(r.due_in - elapsed, 0);
    return status;
}

std::int64_t tomorrow_at(int minute, std::time_t now) {
    std::tm local{};
    ::localtime_r(&now, &local);
    local.tm_mday += 1;
    local.tm_hour = minute / 60;
    local.tm_min = minute % 60;
    local.tm_sec = 0;
    local.tm_isdst = -1;  // whatever holds tomorrow
    return static_cast<std::int64_t>(std::mktime(&local));
}

core::CivilDay local_day(std::time_t now) {
    std::tm local{};
    ::localtime_r(&now, &local);
    return (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
}

std::string today_summary(const core::StatsReport& report) {
    const core::Counts& t = report.total;
    std::string out = format(tr("Reminders shown: %d"), t.shown) + "\n" +
                      format(tr("Done: %1$d, taken naturally: %2$d"), t.done, t.natural) + "\n" +
                      format(tr("Snoozed: %1$d, skipped: %2$d, missed: %3$d"), t.snoozed, t.skipped, t.missed) + "\n" +
                      format(tr("Water: %d ml"), report.water_ml);
    if (report.active_s) out += "\n" + format(tr("At the computer: %s"), ctl::human_length(*report.active_s).c_str());
    if (auto a = t.adherence()) out += "\n" + format(tr("Adherence: %d%%"), static_cast<int>(std::lround(*a * 100.0)));
    return out;
}

}  // namespace limber::tray
