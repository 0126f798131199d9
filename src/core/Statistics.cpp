#include <limber/core/Statistics.hpp>

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

namespace limber::core {
namespace {

/** Adds `n` outcomes or showings to `c`; false for events that are not about a reminder's showings. */
bool count(Counts& c, EventKind kind, int n) noexcept {
    switch (kind) {
        case EventKind::shown:
            c.shown += n;
            return true;
        case EventKind::done:
            c.done += n;
            return true;
        case EventKind::natural:
            c.natural += n;
            return true;
        case EventKind::snoozed:
            c.snoozed += n;
            return true;
        case EventKind::skipped:
            c.skipped += n;
            return true;
        case EventKind::missed:
            c.missed += n;
            return true;
        case EventKind::dismissed:
            c.dismissed += n;
            return true;
        case EventKind::ignored:
            c.ignored += n;
            return true;
        default:
            return false;
    }
}

bool is_good(const Counts& c, double threshold) noexcept {
    const auto a = c.adherence();
    // A tiny tolerance, so that 4 of 5 meets a threshold of 0.8 despite floating point.
    return a && *a + 1e-9 >= threshold;
}

}  // namespace

std::optional<double> Counts::adherence() const noexcept {
    if (shown <= 0) return std::nullopt;
    return std::min(1.0, static_cast<double>(done + natural) / static_cast<double>(shown));
}

Counts& Counts::operator+=(const Counts& o) noexcept {
    shown += o.shown;
    done += o.done;
    natural += o.natural;
    snoozed += o.snoozed;
    skipped += o.skipped;
    missed += o.missed;
    dismissed += o.dismissed;
    ignored += o.ignored;
    return *this;
}

std::vector<DayCount> tally(const std::vector<HistoryEvent>& events) {
    // A year of dense history is ~40,000 events over a handful of names: intern the names and add up
    // under one packed integer key (day, kind, name), then sort the few thousand sums.
    std::vector<std::string> names;
    std::unordered_map<std::uint64_t, std::int64_t> sums;
    sums.reserve(events.size() / 4 + 16);
    std::size_t last_name = 0;
    for (const auto& e : events) {
        if (is_presence(e.kind)) continue;  // not a count: see active_time()
        if (last_name >= names.size() || names[last_name] != e.reminder) {
            last_name = static_cast<std::size_t>(std::find(names.begin(), names.end(), e.reminder) - names.begin());
            if (last_name == names.size()) names.push_back(e.reminder);
        }
        const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(e.day)) << 32) |
                                  (static_cast<std::uint64_t>(e.kind) << 24) | last_name;
        sums[key] += e.kind == EventKind::water ? e.ml : 1;
    }
    std::vector<DayCount> out;
    out.reserve(sums.size());
    for (const auto& [key, value] : sums)
        out.push_back({static_cast<CivilDay>(key >> 32), static_cast<EventKind>((key >> 24) & 0xff),
                       names[key & 0xffffff], value});
    std::sort(out.begin(), out.end(), [](const DayCount& a, const DayCount& b) {
        return std::tie(a.day, a.kind, a.reminder) < std::tie(b.day, b.kind, b.reminder);
    });
    return out;
}

StatsReport compute_stats(const std::vector<HistoryEvent>& events, CivilDay first, CivilDay last, double threshold) {
    return compute_stats(tally(events), first, last, threshold);
}

StatsReport compute_stats(const std::vector<DayCount>& counts, CivilDay first, CivilDay last, double threshold) {
    StatsReport report;
    report.threshold = threshold;
    if (last < first) return report;

    // Totals per day over everything up to `last` (for streaks), details only inside the range.
    std::map<CivilDay, Counts> totals;
    const std::int64_t first_n = day_number(first);
    const std::int64_t span = day_number(last) - first_n + 1;
    report.days.resize(static_cast<std::size_t>(span));
    for (std::int64_t i = 0; i < span; ++i) report.days[static_cast<std::size_t>(i)].day = day_from_number(first_n + i);

    for (const auto& e : counts) {
        if (e.kind == EventKind::present) {
            // Seconds present on a day whose presence was known: 0 is a value too.
            if (e.day < first || e.day > last) continue;
            auto& active = report.days[static_cast<std::size_t>(day_number(e.day) - first_n)].active_s;
            active = active.value_or(0) + std::max<std::int64_t>(0, e.value);
            continue;
        }
        if (e.day > last || e.value <= 0 || is_presence(e.kind)) continue;
        const int n = static_cast<int>(e.value);
        Counts scratch;
        const bool about_showing = count(scratch, e.kind, n);
        if (about_showing) totals[e.day] += scratch;
        if (e.day < first) continue;
        DayStats& d = report.days[static_cast<std::size_t>(day_number(e.day) - first_n)];
        if (about_showing) {
            d.reminders[e.reminder] += scratch;
            d.total += scratch;
        } else if (e.kind == EventKind::water) {
            d.water_ml += n;
        } else if (e.kind == EventKind::pause) {
            d.pauses += n;
        }
    }
    for (auto& d : report.days) {
        d.good = is_good(d.total, threshold);
        report.total += d.total;
        report.water_ml += d.water_ml;
        if (d.active_s) {
            report.active_s = report.active_s.value_or(0) + *d.active_s;
            ++report.active_days;
        }
    }

    // Streaks: walk the days that had showings, in order.
    int run = 0;
    CivilDay last_active = 0;
    bool last_active_good = false;
    for (const auto& [day, c] : totals) {
        if (c.shown == 0) continue;  // only early answers that day: not a day with reminders
        const bool good = is_good(c, threshold);
        run = good ? run + 1 : 0;
        report.streaks.longest = std::max(report.streaks.longest, run);
        last_active = day;
        last_active_good = good;
    }
    // The run reaching the end; the last day itself may still be under way.
    if (last_active_good || last_active != last) {
        report.streaks.current = run;
    } else {
        // `last` is below the threshold so far: the run up to the active day before it still counts.
        int before = 0;
        for (auto it = totals.begin(); it != totals.end() && it->first < last; ++it) {
            if (it->second.shown == 0) continue;
            before = is_good(it->second, threshold) ? before + 1 : 0;
        }
        report.streaks.current = before;
    }
    return report;
}

namespace {

/** Where a run of limberd stands as active_time() reads the events. */
enum class Known { off, unknown, present, away };

/** Adds [from, to) to every day it touches, split at local midnight; away time adds 0 but marks the days known. */
void credit(std::map<CivilDay, std::int64_t>& seconds, Moment from, Moment to, bool present,
            const DayStart& day_start) {
    if (to.at < from.at) to = {from.at, from.day};  // the wall clock was set back: nothing to credit
    if (to.day < from.day) to.day = from.day;       // a time-zone change moved the date back
    // Days are split by their starts; clamped, so a time-zone change in between can only move
    // seconds between neighbouring days, never make or lose any. Bounded: a damaged day number
    // must not make this loop for ages (ten years is more than any history keeps).
    std::int64_t at = from.at;
    const std::int64_t span = std::min<std::int64_t>(day_number(to.day) - day_number(from.day), 3660);
    CivilDay day = from.day;
    for (std::int64_t i = 0; i <= span; ++i) {
        const CivilDay next = add_days(day, 1);
        const std::int64_t end = i == span ? to.at : std::clamp(day_start(next), at, to.at);
        auto& s = seconds[day];
        if (present) s += end - at;
        at = end;
        day = next;
    }
}

}  // namespace

std::vector<DayCount> active_time(const std::vector<HistoryEvent>& events, const DayStart& day_start,
                                  std::optional<Moment> now) {
    std::map<CivilDay, std::int64_t> seconds;
    Known state = Known::off;
    Moment since;  // when `state` began (present or away)
    // The last event of the current run, in recorded order: where the run ends if it never stops.
    // (Not the latest time: an away dated back to the last input may follow a later reminder.)
    Moment seen;
    auto close = [&](Moment end) {
        if (state == Known::present || state == Known::away)
            credit(seconds, since, end, state == Known::present, day_start);
    };
    for (const auto& e : events) {
        const Moment m{e.at, e.day};
        switch (e.kind) {
            case EventKind::start:
                close(seen);  // the run before never stopped: it ended with the last thing it recorded
                state = Known::unknown;
                seen = m;
                break;
            case EventKind::stop:
                close(m);
                state = Known::off;
                break;
            case EventKind::present:
            case EventKind::away:
            case EventKind::unknown: {
                // Without a start before it, a run began before these events: it is one all the same.
                close(m);
                state = e.kind == EventKind::present ? Known::present
                        : e.kind == EventKind::away  ? Known::away
                                                     : Known::unknown;
                since = m;
                seen = m;
                break;
            }
            case EventKind::water:
                break;  // limberctl drank writes it with no limberd running: no sign of a run
            default:
                if (state != Known::off) seen = m;
                break;
        }
    }
    close(now ? *now : seen);

    std::vector<DayCount> out;
    out.reserve(seconds.size());
    for (const auto& [day, s] : seconds) out.push_back({day, EventKind::present, {}, s});
    return out;
}

}  // namespace limber::core
