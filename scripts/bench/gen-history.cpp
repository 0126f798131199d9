// Writes a dense year of history for scripts/bench-stats.sh: DAYS days ending
// today, 50 showings a day spread over five reminders and 08:00-18:00, each
// with an outcome, six glasses of water and a pause a day, and presence: limberd
// started and stopped (killed every tenth day), a dozen absences a day.
// Deterministic.
//
//   bench_gen_history PATH [DAYS]      (PATH must not exist yet)

#include <limber/adapters/HistoryStore.hpp>

#include <sys/stat.h>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>

using limber::adapters::HistoryStore;
using limber::core::EventKind;
using limber::core::HistoryEvent;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s PATH [DAYS]\n", argv[0]);
        return 2;
    }
    const std::string path = argv[1];
    const int days = argc > 2 ? std::atoi(argv[2]) : 365;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        std::fprintf(stderr, "%s exists; give a new path\n", path.c_str());
        return 1;
    }
    HistoryStore store(path, HistoryStore::Mode::write,
                       [](bool, const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); });
    if (!store.available()) return 1;

    // 50 showings a day: how many of each reminder.
    const std::pair<const char*, int> mix[] = {
        {"posture", 20}, {"eyes", 12}, {"stretch", 8}, {"water", 8}, {"movement", 2}};
    std::mt19937 rng(20261125);
    std::discrete_distribution<int> outcome({60, 10, 10, 10, 10});  // done natural snoozed skipped missed
    const EventKind outcomes[] = {EventKind::done, EventKind::natural, EventKind::snoozed, EventKind::skipped,
                                  EventKind::missed};

    const std::time_t now = std::time(nullptr);
    std::size_t total = 0;
    for (int d = days - 1; d >= 0; --d) {
        std::tm local{};
        const std::time_t that_day = now - static_cast<std::time_t>(d) * 86400;
        ::localtime_r(&that_day, &local);
        local.tm_hour = 8;
        local.tm_min = 0;
        local.tm_sec = 0;
        const std::int64_t start = std::mktime(&local);
        std::vector<HistoryEvent> events;
        auto mark = [&](std::int64_t at, EventKind kind) {
            events.push_back({at, HistoryStore::local_day(at), kind, "", 0});
        };
        mark(start - 60, EventKind::start);
        mark(start - 58, EventKind::present);
        int slot = 0;
        for (const auto& [name, count] : mix) {
            for (int i = 0; i < count; ++i, ++slot) {
                const std::int64_t at = start + slot * 720;  // every 12 minutes over ten hours
                events.push_back({at, HistoryStore::local_day(at), EventKind::shown, name, 0});
                events.push_back({at + 30, HistoryStore::local_day(at), outcomes[outcome(rng)], name, 0});
            }
        }
        for (int g = 0; g < 6; ++g) {
            const std::int64_t at = start + g * 5400;
            events.push_back({at, HistoryStore::local_day(at), EventKind::water, g % 2 ? "water" : "", 250});
        }
        events.push_back({start + 4 * 3600, HistoryStore::local_day(start), EventKind::pause, "", 0});
        events.push_back({start + 5 * 3600, HistoryStore::local_day(start), EventKind::resume, "", 0});
        for (int a = 0; a < 12; ++a) {
            mark(start + a * 3000 + 100, EventKind::away);
            mark(start + a * 3000 + 700, EventKind::present);
        }
        if (d % 10 != 0) mark(start + 10 * 3600 + 60, EventKind::stop);
        if (!store.record_all(events)) return 1;
        total += events.size();
    }
    std::printf("%zu events over %d days\n", total, days);
    return 0;
}
