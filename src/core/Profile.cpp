#include <limber/core/Profile.hpp>
#include <limber/core/Translate.hpp>

#include <algorithm>
#include <charconv>

namespace limber::core {
namespace {

template <typename E, std::size_t N>
std::optional<E> find_name(const std::array<std::string_view, N>& names, std::string_view s) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
}

constexpr int day_seconds = 86400;

std::optional<int> parse_clock(std::string_view s, bool allow_24) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    // Digits only: from_chars alone would take a sign, so "-1:30" or "23:-9" would pass.
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!digit(s[0]) || !digit(s[1]) || !digit(s[3]) || !digit(s[4])) return std::nullopt;
    int h = 0, m = 0;
    auto r1 = std::from_chars(s.data(), s.data() + 2, h);
    auto r2 = std::from_chars(s.data() + 3, s.data() + 5, m);
    if (r1.ec != std::errc() || r1.ptr != s.data() + 2 || r2.ec != std::errc() || r2.ptr != s.data() + 5)
        return std::nullopt;
    if (h == 24 && m == 0 && allow_24) return 24 * 60;
    if (h > 23 || m > 59) return std::nullopt;
    return h * 60 + m;
}

}  // namespace

// Indexed by the enums: a value added without its name fails here, not out of bounds at run time.
static_assert(kind_names.size() == static_cast<std::size_t>(Kind::custom) + 1);
static_assert(urgency_names.size() == static_cast<std::size_t>(Urgency::critical) + 1);

std::string_view to_string(Kind k) noexcept { return kind_names[static_cast<std::size_t>(k)]; }
std::string_view to_string(Urgency u) noexcept { return urgency_names[static_cast<std::size_t>(u)]; }
std::optional<Kind> parse_kind(std::string_view s) noexcept { return find_name<Kind>(kind_names, s); }
std::optional<Urgency> parse_urgency(std::string_view s) noexcept { return find_name<Urgency>(urgency_names, s); }
std::optional<int> parse_day(std::string_view s) noexcept { return find_name<int>(day_names, s); }

bool ActiveWindow::contains(LocalTime t) const noexcept {
    const int minute = t.seconds_of_day / 60;
    auto day_on = [this](int wd) { return (days >> ((wd + 7) % 7) & 1) != 0; };
    if (start_minute < end_minute) return day_on(t.weekday) && minute >= start_minute && minute < end_minute;
    // The span crosses midnight: its tail belongs to the day before.
    return (day_on(t.weekday) && minute >= start_minute) || (day_on(t.weekday - 1) && minute < end_minute);
}

int ActiveWindow::seconds_to_next_edge(LocalTime t) const noexcept {
    const bool inside = contains(t);
    // Membership can only change at a start or end minute; try each in turn.
    int best = 8 * day_seconds;
    for (int day = 0; day <= 8; ++day) {
        for (int edge_minute : {start_minute, end_minute}) {
            const int offset = day * day_seconds + edge_minute * 60 - t.seconds_of_day;
            if (offset <= 0 || offset >= best) continue;
            const int absolute = t.seconds_of_day + offset;
            LocalTime at{(t.weekday + absolute / day_seconds) % 7, absolute % day_seconds};
            if (contains(at) != inside) best = offset;
        }
    }
    return best;
}

std::optional<int> ActiveWindow::seconds_since_start(LocalTime t) const noexcept {
    if (!contains(t)) return std::nullopt;
    // A stretch can only begin at start_minute; the latest such moment that is inside
    // while the second before it is outside began the stretch t lies in (days run
    // together when one day's window ends where the next one's starts).
    auto local_at = [&t](int offset) {
        const int absolute = t.seconds_of_day + offset + 9 * day_seconds;  // nine days on: never negative
        return LocalTime{(t.weekday + absolute / day_seconds - 9 + 14) % 7, absolute % day_seconds};
    };
    for (int day = 0; day <= 8; ++day) {
        const int offset = start_minute * 60 - day * day_seconds - t.seconds_of_day;
        if (offset > 0) continue;
        if (contains(local_at(offset)) && !contains(local_at(offset - 1))) return -offset;
    }
    return std::nullopt;
}

Parsed<ActiveWindow> parse_hours(std::string_view text) {
    const std::string given(text);
    const char* quoted = given.c_str();
    const auto dash = text.find('-');
    if (dash == std::string_view::npos)
        return {{},
                format(tr("\"%s\" is not a time span; use \"HH:MM-HH:MM\", e.g. \"08:00-18:00\" or \"22:00-06:00\""),
                       quoted)};
    auto well_formed = [](std::string_view t) {
        return t.size() == 5 && t[2] == ':' &&
               std::all_of(t.begin(), t.end(), [](char c) { return c == ':' || (c >= '0' && c <= '9'); });
    };
    if (!well_formed(text.substr(0, dash)) || !well_formed(text.substr(dash + 1)))
        return {{},
                format(tr("\"%s\" is not in the form \"HH:MM-HH:MM\" (two digits each, no spaces), e.g. "
                          "\"08:00-18:00\""),
                       quoted)};
    auto start = parse_clock(text.substr(0, dash), false);
    auto end = parse_clock(text.substr(dash + 1), true);
    if (!start || !end)
        return {{},
                format(tr("\"%s\" has an impossible time; use \"HH:MM-HH:MM\" with hours 00-23 (end may be "
                          "24:00) and minutes 00-59"),
                       quoted)};
    if (*start == *end) return {{}, format(tr("\"%s\" is empty; start and end must differ"), quoted)};
    ActiveWindow w;
    w.start_minute = *start;
    w.end_minute = *end;
    return {w, {}};
}

const Reminder* Profile::find(std::string_view name) const noexcept {
    for (const auto& r : reminders)
        if (r.name == name) return &r;
    return nullptr;
}

KindText kind_defaults(Kind k) noexcept {
    // TRANSLATORS: the title and message of a reminder whose profile gives none, by its kind. Health
    // wording: never stronger than the English.
    switch (k) {
        case Kind::posture:
            return {tr("Posture check"), tr("Sit back, feet flat, shoulders loose, screen at eye level.")};
        case Kind::stretch:
            return {tr("Time to stretch"), tr("Stand up and stretch gently; never force a stretch.")};
        case Kind::hydration:
            return {tr("Drink some water"), tr("Have a glass of water.")};
        case Kind::movement:
            return {tr("Time to move"), tr("Get up and walk around for a few minutes.")};
        case Kind::eyes:
            return {tr("Rest your eyes"), tr("Look at something far away for a while.")};
        case Kind::breathing:
            return {tr("Breathe"), tr("Take a few slow, deep breaths.")};
        case Kind::custom:
            break;
    }
    return {tr("Reminder"), tr("Time for a break.")};
}

Urgency default_urgency(Kind k) noexcept {
    switch (k) {
        case Kind::hydration:
        case Kind::eyes:
        case Kind::breathing:
            return Urgency::low;
        default:
            return Urgency::normal;
    }
}

bool valid_reminder_name(std::string_view name) noexcept {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates) {
    auto distance = [](std::string_view a, std::string_view b) {
        std::vector<std::size_t> row(b.size() + 1);
        for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
        for (std::size_t i = 1; i <= a.size(); ++i) {
            std::size_t diagonal = row[0];
            row[0] = i;
            for (std::size_t j = 1; j <= b.size(); ++j) {
                const std::size_t above = row[j];
                row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
                diagonal = above;
            }
        }
        return row[b.size()];
    };
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3 + 1));
    for (const auto& c : candidates) {
        const auto d = distance(word, c);
        if (d <= best_distance && (!best || d < best_distance)) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

WaterPlan water_plan(const Profile& profile) {
    WaterPlan plan;
    for (const auto& r : profile.reminders) {
        if (r.kind != Kind::hydration) continue;
        plan.reminder = r.name;
        if (r.glass_ml) plan.glass_ml = *r.glass_ml;
        plan.goal_ml = r.goal_ml.value_or(0);
        break;
    }
    return plan;
}

}  // namespace limber::core
