// What each limberctl command does: the handler column of the command table, declared beside its
// rows in Commands.cpp.

#include <limber/ctl/Handlers.hpp>

#include "BusClient.hpp"
#include "Watch.hpp"

#include <limber/adapters/HistoryStore.hpp>
#include <limber/adapters/ProfileLoader.hpp>
#include <limber/adapters/XdgDirs.hpp>
#include <limber/bus/Codec.hpp>
#include <limber/bus/Protocol.hpp>
#include <limber/core/Profile.hpp>
#include <limber/core/Statistics.hpp>
#include <limber/core/Text.hpp>
#include <limber/core/Translate.hpp>
#include <limber/ctl/Commands.hpp>
#include <limber/ctl/Output.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

namespace limber::ctl {
using core::tr;

namespace {

// The first error writing each stream (errno), reported once by finish_output().
int stdout_error = 0;
int stderr_error = 0;

void write_to(std::FILE* stream, const std::string& text, int& first_error) {
    errno = 0;
    if (std::fwrite(text.data(), 1, text.size(), stream) != text.size() && first_error == 0)
        first_error = errno != 0 ? errno : EIO;
}

}  // namespace

void out(const std::string& text) { write_to(stdout, text, stdout_error); }
void err(const std::string& text) { write_to(stderr, text, stderr_error); }

void keep_standard_streams() {
    // A closed descriptor 0, 1 or 2 would be the next one opened (the bus socket, a file): output
    // would go there. /dev/null opened read-only holds its place, and a write to it fails (EBADF).
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        const int held = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (held != fd && held != -1) {
            ::dup3(held, fd, O_CLOEXEC);
            ::close(held);
        }
    }
}

int output_failed(int error) {
    // EPIPE is a reader that left (`limberctl … | head -1`), which needs no telling.
    if (error != EPIPE) failed(core::format(tr("cannot write the output: %s"), std::strerror(error)));
    return 1;
}

int finish_output(int status) {
    errno = 0;
    if (std::fflush(stdout) != 0 && stdout_error == 0) stdout_error = errno != 0 ? errno : EIO;
    if (std::ferror(stdout) != 0 && stdout_error == 0) stdout_error = EIO;
    if (stdout_error != 0) output_failed(stdout_error);
    errno = 0;
    if (std::fflush(stderr) != 0 && stderr_error == 0) stderr_error = errno != 0 ? errno : EIO;
    if (status == 0 && (stdout_error != 0 || stderr_error != 0)) return 1;
    return status;
}

int failed(const std::string& line) {
    err("limberctl: " + line + "\n");
    return 1;
}

namespace {

/** $XDG_CONFIG_HOME/limber/profile.toml, else ~/.config/limber/profile.toml. */
std::string user_profile_path() {
    const std::string config = adapters::xdg_base_dir("XDG_CONFIG_HOME", ".config");
    return config.empty() ? std::string() : config + "/limber/profile.toml";
}

/** Today's local date. */
core::CivilDay today(std::time_t now) { return adapters::HistoryStore::local_day(now); }

void print_water(const Request& q, std::int64_t ml, std::int64_t today_ml, std::int64_t goal_ml) {
    if (q.json) {
        out(dump({{"ml", ml},
                  {"today_ml", today_ml},
                  {"goal_ml", goal_ml > 0 ? nlohmann::json(goal_ml) : nlohmann::json()}}) +
            "\n");
        return;
    }
    const auto as_ll = [](std::int64_t v) { return static_cast<long long>(v); };
    if (goal_ml > 0)
        out(core::format(tr("Logged %lldml: %lldml today of %lldml (%ld%%)."), as_ll(ml), as_ll(today_ml),
                         as_ll(goal_ml),
                         std::lround(100.0 * static_cast<double>(today_ml) / static_cast<double>(goal_ml))) +
            "\n");
    else
        out(core::format(tr("Logged %lldml: %lldml today."), as_ll(ml), as_ll(today_ml)) + "\n");
}

/** The format of status and watch: --format, else json with --json, else text. */
std::string format_of(const Request& q) { return !q.format.empty() ? q.format : q.json ? "json" : "text"; }

/** Snooze, Done or Skip, and what it printed. */
int answer(const Request& q, const char* method, std::optional<std::int64_t> for_seconds) {
    BusClient client;
    const bool snooze = method == std::string_view(bus::method::snooze);
    const bool done = method == std::string_view(bus::method::done);
    const char* key = snooze ? "snoozed" : done ? "done" : "skipped";
    const auto names = client.answer(method, q.name, for_seconds);
    if (q.json) {
        auto result = nlohmann::json{{key, names}};
        if (snooze && for_seconds) result["for"] = *for_seconds;
        out(dump(result) + "\n");
    } else if (names.empty()) {
        out(tr("Nothing to answer.") + std::string("\n"));
    } else if (snooze) {
        // When each comes back (present time), as status would say it.
        std::vector<std::string> described;
        Status after;
        try {
            after = client.status();
        } catch (const BusFailure&) {
        }
        for (const auto& name : names) {
            std::string text = name;
            for (const auto& r : after.reminders)
                // TRANSLATORS: after a snoozed reminder's name: "posture (next in 5m)".
                if (r.name == name) text += " " + core::format(tr("(next %s)"), in_time(r.due_in).c_str());
            described.push_back(text);
        }
        out(core::format(tr("Snoozed %s."), core::join(described, ", ").c_str()) + "\n");
    } else {
        const std::string list = core::join(names, ", ");
        // TRANSLATORS: limberctl done/skip: the reminders answered, by their names.
        out(core::format(done ? tr("Done: %s.") : tr("Skipped: %s."), list.c_str()) + "\n");
    }
    return 0;
}

}  // namespace

namespace handle {

int status(const Request& q, std::time_t now) {
    const std::string format = format_of(q);
    BusClient client;  // no session bus at all is an error, for bars too
    std::optional<Status> got;
    try {
        got = client.status();
    } catch (const BusFailure& failure) {
        // A bar shows "stopped" rather than an error (as watch does); people and
        // scripts asking for the status get the spec's exit 1 and the reason.
        if (format != "waybar" || !BusClient::not_running(failure)) throw;
        out(stopped_line(format) + "\n");
        return 0;
    }
    const auto& status = *got;
    if (format == "json")
        out(dump(status_json(status)) + "\n");
    else if (format == "waybar")
        out(dump(status_waybar(status, now, q.soon)) + "\n");
    else
        out(status_text(status, now));
    return 0;
}

int pause(const Request& q, std::time_t now) {
    BusClient client;
    client.pause(q.duration, q.until);
    const std::int64_t until = q.until ? *q.until : q.duration ? now + *q.duration : 0;
    if (q.json)
        out(dump({{"paused_until", until > 0 ? nlohmann::json(core::iso8601_local(until)) : nullptr}}) + "\n");
    else if (until > 0)
        out(core::format(tr("Paused until %s (%s)."), clock_time(until).c_str(), in_time(until - now).c_str()) + "\n");
    else
        out(tr("Paused until you run 'limberctl resume'.") + std::string("\n"));
    return 0;
}

int resume(const Request& q, std::time_t) {
    BusClient client;
    client.resume();
    if (q.json)
        out(dump({{"resumed", true}}) + "\n");
    else
        out(tr("Resumed.") + std::string("\n"));
    return 0;
}

int snooze(const Request& q, std::time_t) { return answer(q, bus::method::snooze, q.duration); }
int done(const Request& q, std::time_t) { return answer(q, bus::method::done, std::nullopt); }
int skip(const Request& q, std::time_t) { return answer(q, bus::method::skip, std::nullopt); }

int trigger(const Request& q, std::time_t) {
    BusClient client;
    client.trigger(q.name);
    if (q.json)
        out(dump({{"triggered", q.name}}) + "\n");
    else
        out(core::format(tr("Showing %s now."), q.name.c_str()) + "\n");
    return 0;
}

int reload(const Request& q, std::time_t) {
    BusClient client;
    const auto profile = client.reload();
    if (q.json)
        out(dump({{"profile", profile}}) + "\n");
    else if (profile.empty() || profile == core::builtin_origin)
        out(tr("Reloaded: the built-in profile.") + std::string("\n"));
    else
        out(core::format(tr("Reloaded %s."), profile.c_str()) + "\n");
    return 0;
}

int schedule(const Request& q, std::time_t now) {
    BusClient client;
    const std::int64_t span = q.duration.value_or(bus::default_schedule_seconds);
    const auto showings = client.schedule(span);
    if (q.json)
        out(dump(schedule_json(showings)) + "\n");
    else
        out(schedule_text(showings, now, span));
    return 0;
}

int check(const Request& q, std::time_t) {
    const auto source = q.path ? adapters::ProfileSource{*q.path} : adapters::locate_profile({});
    const auto loaded = adapters::load_profile(source);
    if (q.json) {
        auto result = check_json(loaded.path, loaded.errors);
        if (loaded.profile) result["reminders"] = loaded.profile->reminders.size();
        out(dump(result) + "\n");
        return loaded.profile ? 0 : 1;
    }
    if (!loaded.profile) {
        err(loaded.report());
        return 1;
    }
    const auto count = static_cast<unsigned long>(loaded.profile->reminders.size());
    out(core::format(core::trn("%s: ok, %lu reminder", "%s: ok, %lu reminders", count), loaded.path.c_str(), count) +
        "\n");
    return 0;
}

int init(const Request& q, std::time_t) {
    namespace fs = std::filesystem;
    const std::string path = user_profile_path();
    if (path.empty()) return failed(tr("neither XDG_CONFIG_HOME nor HOME is set; cannot tell where your profile goes"));
    std::error_code ec;
    if (fs::exists(path, ec) && !q.force)
        return failed(
            core::format(tr("%s already exists; to replace it with the built-in profile, run 'limberctl init --force'"),
                         path.c_str()));
    fs::create_directories(fs::path(path).parent_path(), ec);
    if (ec)
        return failed(core::format(tr("cannot create %s: %s"), fs::path(path).parent_path().string().c_str(),
                                   ec.message().c_str()));
    // Written beside it and renamed over it: an interrupted init never leaves half a profile.
    const std::string temporary = path + ".new";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        const auto text = adapters::builtin_profile_text();
        file.write(text.data(), static_cast<std::streamsize>(text.size()));
        file.close();
        if (!file) {
            const std::string reason = std::strerror(errno);
            fs::remove(temporary, ec);
            return failed(core::format(tr("cannot write %s: %s"), path.c_str(), reason.c_str()));
        }
    }
    fs::rename(temporary, path, ec);
    if (ec) {
        fs::remove(temporary, ec);
        return failed(core::format(tr("cannot write %s: %s"), path.c_str(), ec.message().c_str()));
    }
    if (q.json) {
        out(dump({{"profile", path}}) + "\n");
    } else {
        // The profile itself is written in English: its comments are the reference of every key.
        out(core::format(tr("Wrote the built-in profile to %s."), path.c_str()) + "\n" +
            tr("Edit it, then run 'limberctl check' and 'limberctl reload'.") + "\n");
    }
    const char* overriding = std::getenv("LIMBER_PROFILE");
    if (overriding != nullptr && *overriding != '\0')
        err("limberctl: " + core::format(tr("note: $LIMBER_PROFILE is set, so limberd reads %s instead"), overriding) +
            "\n");
    return 0;
}

int stats(const Request& q, std::time_t now) {
    using adapters::HistoryStore;
    const core::CivilDay last = today(now);
    const core::CivilDay first = q.since ? *q.since : core::add_days(last, -(q.days - 1));
    // Every event (for the streaks, which reach back before the range); retention keeps it to a year.
    std::vector<core::DayCount> counts;
    StatsSource source{"limberd", {}};
    try {
        BusClient client;
        counts = client.history(0);
    } catch (const BusFailure&) {
        // No limberd (or one that does not know History): read the file, read-only.
        source = {"file", HistoryStore::default_path()};
        try {
            HistoryStore store(source.path, HistoryStore::Mode::read_only);
            counts = store.counts(0);
            // Active time of the days shown; no limberd runs, so a run without a stop ended with its last event.
            for (auto& row : store.active(first)) counts.push_back(std::move(row));
        } catch (const adapters::HistoryError& e) {
            return failed(e.what());
        }
    }
    const auto report = core::compute_stats(counts, first, last);
    if (q.json)
        out(stats_json_text(report, source) + "\n");
    else if (q.csv)
        out(stats_csv(report));
    else
        out(stats_text(report, q.ascii || ::isatty(STDOUT_FILENO) == 0));
    return 0;
}

int drank(const Request& q, std::time_t now) {
    using adapters::HistoryStore;
    try {
        BusClient client;
        const auto water = client.drank(q.amount_ml);
        print_water(q, water.ml, water.today_ml, water.goal_ml);
        return 0;
    } catch (const BusFailure& failure) {
        if (!BusClient::not_running(failure)) throw;
    }
    // No limberd: write it to the history file ourselves (the one case where limberctl writes it).
    core::WaterPlan plan;
    const auto loaded = adapters::load_profile(adapters::locate_profile({}));
    if (loaded.profile)
        plan = core::water_plan(*loaded.profile);
    else if (q.amount_ml == 0)
        err("limberctl: " +
            core::format(tr("note: the profile has errors (see 'limberctl check'); counting a glass as %dml"),
                         plan.glass_ml) +
            "\n");
    const int ml = q.amount_ml > 0 ? q.amount_ml : plan.glass_ml;
    std::string problem;
    HistoryStore store(HistoryStore::default_path(), HistoryStore::Mode::write,
                       [&problem](bool warning, const std::string& line) {
                           if (warning) problem = line;
                       });
    store.record(HistoryStore::now_event(core::EventKind::water, {}, ml));
    if (store.pending() > 0) {
        const std::string& why = store.last_problem().empty() ? problem : store.last_problem();
        return failed(core::format(tr("could not log the water: %s"), why.c_str()));
    }
    if (!problem.empty()) err("limberctl: " + problem + "\n");  // e.g. a damaged file set aside
    print_water(q, ml, store.water_on(today(now)), plan.goal_ml);
    return 0;
}

int watch(const Request& q, std::time_t) {
    BusClient client;
    return ctl::watch(client, format_of(q), q.soon);
}

int help(const Request& q, std::time_t) {
    // parse() turns `help` into a Request with help set, which main() answers; this is the same.
    out(q.command != nullptr && q.command->handler.function() != &handle::help ? command_help(*q.command)
                                                                               : overview_help());
    return 0;
}

int completions(const Request& q, std::time_t) {
    out(completion_script(q.name));
    return 0;
}

int reminder_names(const Request&, std::time_t) {
    BusClient client;
    for (const auto& r : client.status().reminders) out(r.name + "\n");
    return 0;
}

int interface_xml(const Request&, std::time_t) {
    out(bus::introspection_xml);
    return 0;
}

}  // namespace handle
}  // namespace limber::ctl
