#include <limber/ctl/Output.hpp>

#include <limber/bus/Protocol.hpp>
#include <limber/core/Duration.hpp>
#include <limber/core/Profile.hpp>
#include <limber/core/Text.hpp>
#include <limber/core/Translate.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace limber::ctl {
using core::format;
using core::tr;
using core::trn;
namespace {

std::tm local_tm(std::int64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm;
}

std::string strftime_local(std::int64_t unix_seconds, const char* format) {
    const std::tm tm = local_tm(unix_seconds);
    char buffer[64];
    const std::size_t n = std::strftime(buffer, sizeof buffer, format, &tm);
    return std::string(buffer, n);
}

/** Days from `now`'s local date to `at`'s: 0 today, 1 tomorrow. */
long days_apart(std::int64_t now, std::int64_t at) {
    auto day_number = [](std::int64_t t) {
        const std::tm tm = local_tm(t);
        // Days since the epoch of the local civil date (a proleptic count is enough for differences).
        const int y = tm.tm_year + 1900 - (tm.tm_mon < 2 ? 1 : 0);
        const int m = tm.tm_mon < 2 ? tm.tm_mon + 13 : tm.tm_mon + 1;
        return 365L * y + y / 4 - y / 100 + y / 400 + (153 * m + 8) / 5 + tm.tm_mday;
    };
    return day_number(at) - day_number(now);
}

/** "14:05", "tomorrow 08:05", "Thu 27 Nov 08:05"; with seconds ("14:05:30") where minutes cannot tell apart. */
std::string when(std::int64_t at, std::int64_t now, bool seconds = false) {
    const long days = days_apart(now, at);
    std::string clock = seconds ? strftime_local(at, "%H:%M:%S") : clock_time(at);
    if (days == 0) return clock;
    // TRANSLATORS: a time of day tomorrow, as in "tomorrow 08:05".
    if (days == 1) return format(tr("tomorrow %s"), clock.c_str());
    // The weekday and month names follow the person's LC_TIME.
    return strftime_local(at, "%a %d %b ") + clock;
}

std::string display_profile(const std::string& profile) {
    if (profile.empty() || profile == core::builtin_origin) return tr("built-in profile");
    const char* home = std::getenv("HOME");
    std::string shown = profile;
    if (home != nullptr && *home != '\0') {
        const std::string prefix = std::string(home) + "/";
        if (profile.starts_with(prefix)) shown = "~/" + profile.substr(prefix.size());
    }
    // TRANSLATORS: the profile limberd uses, by its path, as in "limber is active (profile ~/p.toml)".
    return format(tr("profile %s"), shown.c_str());
}

std::size_t display_width(const std::string& text) {
    // Code points, not bytes: "×" is one column.
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/** The reminder a status bar shows: the one on screen, else the enabled one due soonest. */
const ReminderStatus* next_reminder(const Status& status) {
    const ReminderStatus* best = nullptr;
    for (const auto& r : status.reminders) {
        if (!r.enabled) continue;
        if (r.on_screen) return &r;
        if (best == nullptr || r.due_in < best->due_in) best = &r;
    }
    return best;
}

std::string next_text(const ReminderStatus& r) {
    if (!r.enabled) return tr("disabled");
    if (r.on_screen) return tr("on screen");
    std::string out = in_time(r.due_in);
    if (r.snoozes == 1) out += std::string(", ") + tr("snoozed");
    // TRANSLATORS: how many times in a row a reminder was snoozed, as in "in 5m, snoozed 2×".
    if (r.snoozes > 1) out += ", " + format(tr("snoozed %d×"), r.snoozes);
    return out;
}

std::string pause_text(const Status& status, std::int64_t now) {
    if (status.paused_until <= 0) return tr("paused until you resume");
    std::string out = format(tr("paused until %s"), when(status.paused_until, now).c_str());
    if (status.paused_until > now) out += ", " + in_time(status.paused_until - now);
    return out;
}

}  // namespace

std::string clock_time(std::int64_t unix_seconds) { return strftime_local(unix_seconds, "%H:%M"); }

std::string human_length(std::int64_t seconds) {
    if (seconds < 60) return std::to_string(std::max<std::int64_t>(seconds, 0)) + "s";
    if (seconds < 3600) return std::to_string(seconds / 60) + "m";
    auto pair = [](std::int64_t big, const char* big_unit, std::int64_t small, const char* small_unit) {
        std::string out = std::to_string(big) + big_unit;
        if (small > 0) out += " " + std::to_string(small) + small_unit;
        return out;
    };
    if (seconds < 86400) return pair(seconds / 3600, "h", seconds / 60 % 60, "m");
    return pair(seconds / 86400, "d", seconds / 3600 % 24, "h");
}

namespace {

/**
 * The unit a count-down of `seconds` is shown in: seconds in the last minute, minutes up to
 * a day, hours beyond. The shown figure is rounded up to it, as a count-down is read: "in 2m"
 * means at most two minutes, and nothing reads "in 0m" before it is due.
 */
std::int64_t count_down_unit(std::int64_t seconds) {
    if (seconds < 60) return 1;
    if (seconds <= 86400) return 60;
    return 3600;
}

}  // namespace

std::string count_down(std::int64_t seconds) {
    if (seconds <= 0) return "0s";
    const std::int64_t unit = count_down_unit(seconds);
    return human_length((seconds + unit - 1) / unit * unit);
}

std::optional<std::int64_t> count_down_changes_in(std::int64_t seconds) {
    if (seconds <= 0) return std::nullopt;  // "now": only an event moves it
    if (seconds <= 60) return 1;            // "1m", then "59s", "58s", ...
    const std::int64_t unit = count_down_unit(seconds);
    return seconds % unit == 0 ? unit : seconds % unit;
}

std::string in_time(std::int64_t seconds) {
    // TRANSLATORS: a count-down, as in "in 12m" (the units stay as limberctl reads them).
    return seconds <= 0 ? std::string(tr("now")) : format(tr("in %s"), count_down(seconds).c_str());
}

nlohmann::json status_json(const Status& status) {
    nlohmann::json reminders = nlohmann::json::array();
    for (const auto& r : status.reminders) {
        reminders.push_back({{"name", r.name},
                             {"kind", r.kind},
                             {"every", r.every},
                             {"duration", r.duration},
                             {"due_in", r.due_in},
                             {"snoozes", r.snoozes},
                             {"enabled", r.enabled},
                             {"on_screen", r.on_screen}});
    }
    nlohmann::json out = nlohmann::json::object();
    out["state"] = status.state;
    out["paused_until"] = status.paused_until > 0 ? nlohmann::json(core::iso8601_local(status.paused_until)) : nullptr;
    out["profile"] = status.profile;
    out["reminders"] = std::move(reminders);
    if (status.presence) {
        const Presence& p = *status.presence;
        nlohmann::json reasons = nlohmann::json::array();
        if (p.idle) reasons.push_back("idle");
        if (p.locked) reasons.push_back("locked");
        if (p.asleep) reasons.push_back("asleep");
        out["presence"] = {{"sources", p.sources}, {"away", p.away()},   {"reasons", std::move(reasons)},
                           {"idle", p.idle},       {"locked", p.locked}, {"dnd", p.dnd}};
    }
    out["water"] = {{"today_ml", status.water_today_ml},
                    {"goal_ml", status.water_goal_ml > 0 ? nlohmann::json(status.water_goal_ml) : nlohmann::json()}};
    return out;
}

std::string presence_text(const Presence& p) {
    std::string where;
    if (p.away()) {
        std::string why;
        for (auto [on, word] :
             {std::pair{p.idle, tr("idle")}, std::pair{p.locked, tr("locked")}, std::pair{p.asleep, tr("asleep")}})
            if (on) why += (why.empty() ? "" : ", ") + std::string(word);
        // TRANSLATORS: as in "Presence: away (idle, locked)".
        where = format(tr("away (%s)"), why.c_str());
    } else {
        where = tr("at the computer");
    }
    if (p.dnd) where += std::string(", ") + tr("do-not-disturb on");
    std::string out = format(tr("Presence: %s"), where.c_str());
    if (p.sources.empty())
        return out + "; " + tr("no sources (idle, lock and do-not-disturb are not detected here)") + "\n";
    std::string list;
    for (const auto& s : p.sources) list += (list.empty() ? "" : ", ") + s;
    // TRANSLATORS: the presence sources by their names (idle, logind…), which stay as they are.
    return out + "; " + format(tr("sources: %s"), list.c_str()) + "\n";
}

std::string status_text(const Status& status, std::time_t now) {
    std::string state;
    if (status.state == "active")
        state = tr("active");
    else if (status.state == "paused")
        state = pause_text(status, now);
    else if (status.state == "away")
        state = tr("waiting while you are away");
    else if (status.state == "off-hours")
        state = tr("waiting outside active hours");
    else if (status.state == "dnd")
        state = tr("holding reminders while do-not-disturb is on");
    else
        state = status.state;
    // TRANSLATORS: the first line of limberctl status: "limber is active (built-in profile)"; the first %s
    // is a state ("active", "paused until 14:00"…), the second the profile.
    std::string out = format(tr("limber is %s (%s)"), state.c_str(), display_profile(status.profile).c_str()) + "\n";
    if (status.presence) out += presence_text(*status.presence);
    if (status.water_goal_ml > 0) {
        const auto percent =
            std::lround(100.0 * static_cast<double>(status.water_today_ml) / static_cast<double>(status.water_goal_ml));
        out += format(tr("Water today: %dml of %dml (%ld%%)"), status.water_today_ml, status.water_goal_ml, percent) +
               "\n";
    } else if (status.water_today_ml > 0) {
        out += format(tr("Water today: %dml"), status.water_today_ml) + "\n";
    }
    if (status.reminders.empty()) return out + tr("No reminders: the profile has none.") + "\n";

    // TRANSLATORS: column headings of limberctl status.
    std::vector<std::vector<std::string>> rows{{tr("NAME"), tr("KIND"), tr("EVERY"), tr("NEXT")}};
    for (const auto& r : status.reminders)
        rows.push_back({r.name, r.kind, core::format_duration(std::chrono::seconds(r.every)), next_text(r)});
    return out + "\n" + columns(rows);
}

nlohmann::json status_waybar(const Status& status, std::time_t now, std::int64_t soon_s) {
    const ReminderStatus* next = next_reminder(status);
    std::string text;
    if (status.state == "paused")
        text = status.paused_until > 0 ? format(tr("paused until %s"), clock_time(status.paused_until).c_str())
                                       : std::string(tr("paused"));
    else if (next == nullptr)
        text = tr("no reminders");
    else if (next->on_screen)
        // TRANSLATORS: Waybar's text while a reminder is on screen: "posture now" (the reminder's name).
        text = format(tr("%s now"), next->name.c_str());
    else {
        text = next->name + " " + count_down(next->due_in);
        text.erase(std::remove(text.begin() + static_cast<std::ptrdiff_t>(next->name.size()) + 1, text.end(), ' '),
                   text.end());
    }

    std::string tooltip = "limber: ";
    if (status.state == "paused")
        tooltip += pause_text(status, now);
    else
        tooltip += status.state;  // the state's name, as in the class
    for (const auto& r : status.reminders) tooltip += "\n" + r.name + ": " + next_text(r);

    int percentage = 0;
    if (next != nullptr && next->every > 0) {
        if (next->on_screen)
            percentage = 100;
        else {
            const double done = static_cast<double>(next->every - next->due_in) / static_cast<double>(next->every);
            percentage = static_cast<int>(std::lround(std::clamp(done, 0.0, 1.0) * 100.0));
        }
    }
    nlohmann::json out = nlohmann::json::object();
    out["text"] = text;
    out["tooltip"] = tooltip;
    // The state, and "soon" beside it while the next showing is near (Waybar takes a list of classes).
    const bool soon = status.state == "active" && next != nullptr && !next->on_screen && next->running && soon_s > 0 &&
                      next->due_in <= soon_s;
    out["class"] = soon ? nlohmann::json::array({status.state, "soon"}) : nlohmann::json(status.state);
    out["alt"] = status.state;
    out["percentage"] = percentage;
    return out;
}

std::string watch_line(const Status& status, std::string_view format, std::time_t now, std::int64_t soon_s) {
    if (format == "json") return dump(status_json(status));
    const nlohmann::json waybar = status_waybar(status, now, soon_s);
    if (format == "waybar") return dump(waybar);
    return waybar["text"].get<std::string>();
}

std::string stopped_line(std::string_view format) {
    // The JSON says it in English (never translated); Waybar's tooltip and the text line are read.
    const std::string why = "limberd is not running (start it with: systemctl --user start limber)";
    if (format == "json")
        return dump({{"state", "stopped"},
                     {"paused_until", nullptr},
                     {"profile", nullptr},
                     {"reminders", nlohmann::json::array()},
                     {"error", why}});
    if (format == "waybar")
        return dump({{"text", tr("limber off")},
                     {"tooltip", tr("limberd is not running (start it with: systemctl --user start limber)")},
                     {"class", "stopped"},
                     {"alt", "stopped"},
                     {"percentage", 0}});
    return tr("limberd not running");
}

std::optional<std::int64_t> next_change_in(const Status& status, std::string_view format, std::int64_t soon_s) {
    if (format == "json" || status.state != "active") return std::nullopt;
    std::optional<std::int64_t> soonest;
    auto consider = [&](const ReminderStatus& r) {
        if (!r.enabled || !r.running || r.on_screen) return;
        if (auto c = count_down_changes_in(r.due_in); c && (!soonest || *c < *soonest)) soonest = c;
    };
    const ReminderStatus* next = next_reminder(status);
    if (next == nullptr || next->on_screen) {
        if (format != "waybar") return std::nullopt;
    } else {
        consider(*next);
    }
    // Waybar's tooltip lists every reminder's "in 12m" too, and its class turns "soon".
    if (format == "waybar") {
        for (const auto& r : status.reminders) consider(r);
        if (next != nullptr && !next->on_screen && next->running && soon_s > 0 && next->due_in > soon_s &&
            (!soonest || next->due_in - soon_s < *soonest))
            soonest = next->due_in - soon_s;
    }
    return soonest;
}

nlohmann::json schedule_json(std::vector<Showing> showings) {
    std::stable_sort(showings.begin(), showings.end(), [](const Showing& a, const Showing& b) { return a.at < b.at; });
    nlohmann::json reminders = nlohmann::json::array();
    for (const auto& s : showings) reminders.push_back({{"name", s.name}, {"at", core::iso8601_local(s.at)}});
    return {{"reminders", std::move(reminders)}};
}

std::string schedule_text(std::vector<Showing> showings, std::time_t now, std::int64_t span) {
    std::stable_sort(showings.begin(), showings.end(), [](const Showing& a, const Showing& b) { return a.at < b.at; });
    const std::string ahead = human_length(span);
    if (showings.empty()) return format(tr("Nothing will be shown in the next %s."), ahead.c_str()) + "\n";
    // Short intervals (demo profiles) put several showings in one minute: then show seconds.
    bool seconds = false;
    for (std::size_t i = 1; i < showings.size(); ++i)
        if (showings[i].at != showings[i - 1].at && showings[i].at / 60 == showings[i - 1].at / 60) seconds = true;
    // TRANSLATORS: column headings of limberctl schedule.
    std::vector<std::vector<std::string>> rows{{tr("WHEN"), "", tr("REMINDERS")}};
    for (std::size_t i = 0; i < showings.size();) {
        // Showings at the same moment share one notification: one line.
        std::string names = showings[i].name;
        std::size_t j = i + 1;
        for (; j < showings.size() && showings[j].at == showings[i].at; ++j) names += ", " + showings[j].name;
        rows.push_back({when(showings[i].at, now, seconds), in_time(showings[i].at - now), names});
        i = j;
    }
    return format(tr("In the next %s, if you stay at the computer:"), ahead.c_str()) + "\n\n" + columns(rows);
}

nlohmann::json check_json(const std::string& path, const std::vector<core::Diagnostic>& errors) {
    std::vector<core::Diagnostic> sorted = errors;
    std::stable_sort(sorted.begin(), sorted.end(), [](const core::Diagnostic& a, const core::Diagnostic& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : sorted)
        list.push_back({{"path", path}, {"line", d.line}, {"column", d.column}, {"message", d.message}});
    nlohmann::json out = nlohmann::json::object();
    out["valid"] = sorted.empty();
    out["profile"] = path;
    out["errors"] = std::move(list);
    return out;
}

namespace {

nlohmann::json adherence_json(const core::Counts& c) {
    const auto a = c.adherence();
    return a ? nlohmann::json(std::round(*a * 1000.0) / 1000.0) : nlohmann::json();
}

nlohmann::json counts_json(const core::Counts& c) {
    return {{"shown", c.shown},         {"done", c.done},       {"natural", c.natural},
            {"snoozed", c.snoozed},     {"skipped", c.skipped}, {"missed", c.missed},
            {"dismissed", c.dismissed}, {"ignored", c.ignored}, {"adherence", adherence_json(c)}};
}

std::string percent(const core::Counts& c) {
    const auto a = c.adherence();
    return a ? std::to_string(std::lround(*a * 100.0)) + "%" : "-";
}

/** Every reminder name that occurs in the report, sorted. */
std::vector<std::string> reminder_names(const core::StatsReport& report) {
    std::vector<std::string> names;
    for (const auto& d : report.days)
        for (const auto& [name, c] : d.reminders)
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    std::sort(names.begin(), names.end());
    return names;
}

/** Columns: the first left-aligned, the others right-aligned, two spaces apart. */
std::string table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        if (widths.size() < row.size()) widths.resize(row.size(), 0);
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], display_width(row[c]));
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(widths[c] - display_width(row[c]), ' ');
            if (c > 0) line += "  ";
            line += c == 0 ? row[c] + pad : pad + row[c];
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

nlohmann::json seconds_json(const std::optional<std::int64_t>& seconds) {
    return seconds ? nlohmann::json(*seconds) : nlohmann::json();
}

std::string litres(int ml) {
    if (ml < 1000) return std::to_string(ml) + "ml";
    char text[32];
    std::snprintf(text, sizeof text, "%.1fl", ml / 1000.0);
    return text;
}

}  // namespace

nlohmann::json stats_json(const core::StatsReport& report, const StatsSource& source) {
    nlohmann::json days = nlohmann::json::array();
    for (const auto& d : report.days) {
        nlohmann::json reminders = nlohmann::json::object();
        for (const auto& [name, c] : d.reminders) reminders[name] = counts_json(c);
        nlohmann::json day = counts_json(d.total);
        day["date"] = core::format_day(d.day);
        day["water_ml"] = d.water_ml;
        day["pauses"] = d.pauses;
        day["good"] = d.good;
        day["active_s"] = seconds_json(d.active_s);
        day["reminders"] = std::move(reminders);
        days.push_back(std::move(day));
    }
    nlohmann::json total = counts_json(report.total);
    total["water_ml"] = report.water_ml;
    total["active_s"] = seconds_json(report.active_s);
    nlohmann::json out = nlohmann::json::object();
    out["days"] = std::move(days);
    out["total"] = std::move(total);
    out["streaks"] = {
        {"current", report.streaks.current}, {"longest", report.streaks.longest}, {"threshold", report.threshold}};
    if (!source.from.empty()) out["source"] = source.from;
    return out;
}

namespace {

void append_number(std::string& out, double value) {
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
    out.append(text, ec == std::errc() ? end : text);
}

void append_counts(std::string& out, const core::Counts& c) {
    out += "\"shown\":" + std::to_string(c.shown) + ",\"done\":" + std::to_string(c.done) +
           ",\"natural\":" + std::to_string(c.natural) + ",\"snoozed\":" + std::to_string(c.snoozed) +
           ",\"skipped\":" + std::to_string(c.skipped) + ",\"missed\":" + std::to_string(c.missed) +
           ",\"dismissed\":" + std::to_string(c.dismissed) + ",\"ignored\":" + std::to_string(c.ignored) +
           ",\"adherence\":";
    if (const auto a = c.adherence())
        append_number(out, std::round(*a * 1000.0) / 1000.0);
    else
        out += "null";
}

}  // namespace

std::string stats_json_text(const core::StatsReport& report, const StatsSource& source) {
    std::map<std::string, std::string> quoted;  // each reminder name, as a JSON string
    std::string out = "{\"days\":[";
    out.reserve(report.days.size() * 512);
    bool first_day = true;
    for (const auto& d : report.days) {
        out += first_day ? "{" : ",{";
        first_day = false;
        out += "\"date\":\"" + core::format_day(d.day) + "\",\"water_ml\":" + std::to_string(d.water_ml) +
               ",\"reminders\":{";
        bool first_name = true;
        for (const auto& [name, c] : d.reminders) {
            auto& q = quoted[name];
            if (q.empty()) q = dump(nlohmann::json(name));
            out += (first_name ? "" : ",") + q + ":{";
            first_name = false;
            append_counts(out, c);
            out += "}";
        }
        out += "},";
        append_counts(out, d.total);
        out += ",\"pauses\":" + std::to_string(d.pauses) + ",\"good\":" + (d.good ? "true" : "false") +
               ",\"active_s\":" + (d.active_s ? std::to_string(*d.active_s) : "null") + "}";
    }
    out += "],\"total\":{";
    append_counts(out, report.total);
    out += ",\"water_ml\":" + std::to_string(report.water_ml) +
           ",\"active_s\":" + (report.active_s ? std::to_string(*report.active_s) : "null") +
           "},\"streaks\":{\"current\":" + std::to_string(report.streaks.current) +
           ",\"longest\":" + std::to_string(report.streaks.longest) + ",\"threshold\":";
    append_number(out, report.threshold);
    out += "}";
    if (!source.from.empty()) out += ",\"source\":" + dump(nlohmann::json(source.from));
    return out + "}";
}

std::string stats_csv(const core::StatsReport& report) {
    // The columns of the first six counts keep their places; the counts added later follow them all.
    static constexpr const char* fields[] = {"shown", "done", "natural", "snoozed", "skipped", "missed"};
    static constexpr const char* added[] = {"dismissed", "ignored"};
    auto values = [](const core::Counts& c) {
        return std::vector<int>{c.shown, c.done, c.natural, c.snoozed, c.skipped, c.missed};
    };
    auto added_values = [](const core::Counts& c) { return std::vector<int>{c.dismissed, c.ignored}; };
    auto fraction = [](const core::Counts& c) {
        const auto a = c.adherence();
        if (!a) return std::string();
        char text[16];
        std::snprintf(text, sizeof text, "%.3f", *a);
        return std::string(text);
    };
    const auto names = reminder_names(report);
    std::string out = "date";
    for (const char* f : fields) out += std::string(",") + f;
    out += ",adherence,water_ml,pauses,active_s";
    for (const auto& name : names)
        for (const char* f : fields) out += "," + name + "." + f;
    for (const char* f : added) out += std::string(",") + f;
    for (const auto& name : names)
        for (const char* f : added) out += "," + name + "." + f;
    out += "\r\n";  // RFC 4180
    for (const auto& d : report.days) {
        out += core::format_day(d.day);
        for (int v : values(d.total)) out += "," + std::to_string(v);
        out += "," + fraction(d.total) + "," + std::to_string(d.water_ml) + "," + std::to_string(d.pauses) + "," +
               (d.active_s ? std::to_string(*d.active_s) : std::string());
        auto of = [&d](const std::string& name) {
            const auto it = d.reminders.find(name);
            return it != d.reminders.end() ? it->second : core::Counts{};
        };
        for (const auto& name : names)
            for (int v : values(of(name))) out += "," + std::to_string(v);
        for (int v : added_values(d.total)) out += "," + std::to_string(v);
        for (const auto& name : names)
            for (int v : added_values(of(name))) out += "," + std::to_string(v);
        out += "\r\n";
    }
    return out;
}

std::string spark(const std::vector<std::optional<double>>& values, bool ascii) {
    static constexpr const char* blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static constexpr char ramp[] = "_.:-=+*#";
    std::string out;
    for (const auto& v : values) {
        if (!v) {
            out += ' ';
            continue;
        }
        const int level = static_cast<int>(std::lround(std::clamp(*v, 0.0, 1.0) * 7.0));
        if (ascii)
            out += ramp[level];
        else
            out += blocks[level];
    }
    return out;
}

std::string stats_text(const core::StatsReport& report, bool ascii) {
    if (report.days.empty()) return tr("No days asked for.") + std::string("\n");
    const std::string first = core::format_day(report.days.front().day);
    const std::string last = core::format_day(report.days.back().day);
    const std::size_t n = report.days.size();
    const auto days = static_cast<unsigned long>(n);
    // TRANSLATORS: the heading of limberctl stats: "limber, 2026-11-20 to 2026-11-26 (7 days)".
    std::string out = n == 1 ? format(tr("limber, %s (1 day)"), last.c_str())
                             : format(trn("limber, %s to %s (%lu day)", "limber, %s to %s (%lu days)", days),
                                      first.c_str(), last.c_str(), days);
    out += "\n\n";

    const auto names = reminder_names(report);
    if (names.empty() && report.water_ml == 0 && !report.active_s)
        return out + tr("Nothing recorded in these days.") + "\n";
    if (!names.empty()) {
        std::vector<std::vector<std::string>> rows{
            // TRANSLATORS: column headings of limberctl stats (how each reminder was answered).
            {tr("REMINDER"), tr("SHOWN"), tr("DONE"), tr("NATURAL"), tr("SNOOZED"), tr("SKIPPED"), tr("MISSED"),
             tr("DISMISSED"), tr("IGNORED"), tr("KEPT")}};
        auto row = [](const std::string& name, const core::Counts& c) {
            return std::vector<std::string>{name,
                                            std::to_string(c.shown),
                                            std::to_string(c.done),
                                            std::to_string(c.natural),
                                            std::to_string(c.snoozed),
                                            std::to_string(c.skipped),
                                            std::to_string(c.missed),
                                            std::to_string(c.dismissed),
                                            std::to_string(c.ignored),
                                            percent(c)};
        };
        for (const auto& name : names) {
            core::Counts sum;
            for (const auto& d : report.days)
                if (const auto it = d.reminders.find(name); it != d.reminders.end()) sum += it->second;
            rows.push_back(row(name, sum));
        }
        // TRANSLATORS: the row of limberctl stats that sums every reminder.
        if (names.size() > 1) rows.push_back(row(tr("all"), report.total));
        out += table(rows) + "\n";
    }

    const int threshold = static_cast<int>(std::lround(report.threshold * 100));
    const auto current = static_cast<unsigned long>(report.streaks.current);
    out += format(trn("Streak: %lu good day", "Streak: %lu good days", current), current) + " " +
           format(tr("(longest %d); a good day keeps at least %d%% of its reminders."), report.streaks.longest,
                  threshold) +
           "\n";
    int water_days = 0;
    for (const auto& d : report.days) water_days += d.water_ml > 0 ? 1 : 0;
    if (report.water_ml > 0)
        // TRANSLATORS: "Water: 10.5l in all, 1.5l a day on the 7 days with any."
        out +=
            format(trn("Water: %s in all, %s a day on the %lu day with any.",
                       "Water: %s in all, %s a day on the %lu days with any.", static_cast<unsigned long>(water_days)),
                   litres(report.water_ml).c_str(), litres(report.water_ml / water_days).c_str(),
                   static_cast<unsigned long>(water_days)) +
            "\n";
    if (report.active_s)
        // TRANSLATORS: "Active: 40h12m in all, 5h45m a day on the 7 days where presence is known."
        out += format(trn("Active: %s in all, %s a day on the %lu day where presence is known.",
                          "Active: %s in all, %s a day on the %lu days where presence is known.",
                          static_cast<unsigned long>(report.active_days)),
                      hours_minutes(*report.active_s).c_str(),
                      hours_minutes(*report.active_s / report.active_days).c_str(),
                      static_cast<unsigned long>(report.active_days)) +
               "\n";

    // The chart: one column a day, or a week a column when the days would not fit a line.
    const std::size_t per = n > 60 ? 7 : 1;
    std::vector<std::optional<double>> kept, water, active;
    std::vector<int> water_ml;
    std::vector<std::optional<std::int64_t>> active_s;  // a known day's average, per column
    std::string ticks;
    // Weeks end on the last day, so only the oldest column may hold fewer days.
    for (std::size_t start = 0, end = n % per == 0 ? per : n % per; start < n; start = end, end += per) {
        core::Counts c;
        int ml = 0;
        std::int64_t seconds = 0;
        int known = 0;
        for (std::size_t i = start; i < end; ++i) {
            c += report.days[i].total;
            ml += report.days[i].water_ml;
            if (const auto& a = report.days[i].active_s) {
                seconds += *a;
                ++known;
            }
        }
        active_s.push_back(known > 0 ? std::optional<std::int64_t>(seconds / known) : std::nullopt);
        kept.push_back(c.adherence());
        water_ml.push_back(ml / static_cast<int>(end - start));  // a day's average
        if (per == 1) {
            // Weekday initials under daily columns, from the civil date (1970-01-01 was a Thursday).
            static constexpr char initials[] = "TFSSMTW";
            ticks += initials[core::day_number(report.days[start].day) % 7];
        }
    }
    const int top = *std::max_element(water_ml.begin(), water_ml.end());
    for (int ml : water_ml)
        water.push_back(ml > 0 && top > 0 ? std::optional<double>(static_cast<double>(ml) / top) : std::nullopt);
    std::int64_t top_active = 0;
    for (const auto& a : active_s) top_active = std::max(top_active, a.value_or(0));
    for (const auto& a : active_s)
        active.push_back(
            a ? std::optional<double>(top_active > 0 ? static_cast<double>(*a) / static_cast<double>(top_active) : 0.0)
              : std::nullopt);
    // The chart's labels stay English: their columns line up with the weekday initials below.
    const std::string unit = per == 1 ? "day" : "week";
    out += "\n";
    out += "  kept   " + spark(kept, ascii) + "   per " + unit + ", 0% to 100%\n";
    if (report.water_ml > 0)
        out += "  water  " + spark(water, ascii) + "   per " + unit + ", top " + litres(top) + "\n";
    if (report.active_s)
        out += "  active " + spark(active, ascii) + "   per " + unit + ", top " + hours_minutes(top_active) + "\n";
    if (per == 1) out += "         " + ticks + "\n";
    out += "         " + first + " to " + last +
           (per == 1 ? "" : ", a week a column, water and active time as a day's average") + "\n";
    return out;
}

std::string hours_minutes(std::int64_t seconds) {
    const std::int64_t minutes = std::max<std::int64_t>(0, seconds) / 60;
    char text[32];
    if (minutes < 60)
        std::snprintf(text, sizeof text, "%lldm", static_cast<long long>(minutes));
    else
        std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(minutes / 60),
                      static_cast<long long>(minutes % 60));
    return text;
}

std::string dump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string columns(const std::vector<std::vector<std::string>>& rows, std::string_view indent) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        if (widths.size() < row.size()) widths.resize(row.size(), 0);
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], display_width(row[c]));
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line(indent);
        for (std::size_t c = 0; c < row.size(); ++c) {
            line += row[c];
            if (c + 1 < row.size() && widths[c] > 0) line += std::string(widths[c] - display_width(row[c]) + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

std::string describe_remote_error(std::string_view error_name, std::string_view message, std::string_view method) {
    namespace e = limber::bus::error;
    std::string text(message);
    auto or_default = [&](std::string_view fallback) { return text.empty() ? std::string(fallback) : text; };
    if (error_name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
        error_name == "org.freedesktop.DBus.Error.NameHasNoOwner")
        return tr("limberd is not running (start it with: systemctl --user start limber)");
    if (error_name == "org.freedesktop.DBus.Error.UnknownMethod" ||
        error_name == "org.freedesktop.DBus.Error.UnknownInterface" ||
        error_name == "org.freedesktop.DBus.Error.UnknownObject")
        return format(tr("the running limberd does not know %s; it may be an older version (restart it: systemctl "
                         "--user restart limber)"),
                      std::string(method).c_str());
    if (error_name == "org.freedesktop.DBus.Error.NoReply" || error_name == "org.freedesktop.DBus.Error.Timeout")
        return tr("limberd did not answer in time");
    if (error_name == e::unknown_reminder) return or_default(tr("no such reminder"));
    if (error_name == e::not_paused) return or_default(tr("limber is not paused"));
    if (error_name == e::snooze_limit)
        return or_default(tr("that reminder has been snoozed as often as max_snoozes allows"));
    if (error_name == e::nothing_on_screen)
        return or_default(tr("no reminder is on screen; name one, e.g. 'limberctl done posture'"));
    if (error_name == e::disabled) return or_default(tr("that reminder is disabled in the profile"));
    if (error_name == e::invalid_profile) return text;  // the PATH:LINE:COLUMN lines; the caller adds what they mean
    return or_default(error_name);
}

}  // namespace limber::ctl
