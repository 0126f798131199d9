// limberctl: controls limberd over the D-Bus session bus.
// Exit status: 0 done, 1 failed (one line on stderr), 2 usage error.

#include "BusClient.hpp"
#include "Watch.hpp"

#include <limber/adapters/BusInterface.hpp>
#include <limber/adapters/HistoryStore.hpp>
#include <limber/adapters/ProfileLoader.hpp>
#include <limber/adapters/XdgDirs.hpp>
#include <limber/core/Statistics.hpp>
#include <limber/core/Text.hpp>
#include <limber/ctl/Commands.hpp>
#include <limber/ctl/Output.hpp>

#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#ifndef LIMBER_VERSION
#define LIMBER_VERSION "0.0.0"
#endif

namespace ctl = limber::ctl;

namespace {

constexpr std::int64_t default_schedule_span = std::int64_t{8} * 3600;

void out(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }
void err(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stderr); }

int failed(const std::string& line) {
    err("limberctl: " + line + "\n");
    return 1;
}

/** $XDG_CONFIG_HOME/limber/profile.toml, else ~/.config/limber/profile.toml. */
std::string user_profile_path() {
    const std::string config = limber::adapters::xdg_base_dir("XDG_CONFIG_HOME", ".config");
    return config.empty() ? std::string() : config + "/limber/profile.toml";
}

int check(const ctl::Request& q) {
    const auto source = q.path ? limber::adapters::ProfileSource{*q.path} : limber::adapters::locate_profile({});
    const auto loaded = limber::adapters::load_profile(source);
    if (q.json) {
        auto result = ctl::check_json(loaded.path, loaded.errors);
        if (loaded.profile) result["reminders"] = loaded.profile->reminders.size();
        out(ctl::dump(result) + "\n");
        return loaded.profile ? 0 : 1;
    }
    if (!loaded.profile) {
        err(loaded.report());
        return 1;
    }
    out(loaded.path + ": ok, " + std::to_string(loaded.profile->reminders.size()) + " reminders\n");
    return 0;
}

int init(const ctl::Request& q) {
    namespace fs = std::filesystem;
    const std::string path = user_profile_path();
    if (path.empty()) return failed("neither XDG_CONFIG_HOME nor HOME is set; cannot tell where your profile goes");
    std::error_code ec;
    if (fs::exists(path, ec) && !q.force)
        return failed(path + " already exists; to replace it with the built-in profile, run 'limberctl init --force'");
    fs::create_directories(fs::path(path).parent_path(), ec);
    if (ec) return failed("cannot create " + fs::path(path).parent_path().string() + ": " + ec.message());
    // Written beside it and renamed over it: an interrupted init never leaves half a profile.
    const std::string temporary = path + ".new";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        const auto text = limber::adapters::builtin_profile_text();
        file.write(text.data(), static_cast<std::streamsize>(text.size()));
        file.close();
        if (!file) {
            const std::string reason = std::strerror(errno);
            fs::remove(temporary, ec);
            return failed("cannot write " + path + ": " + reason);
        }
    }
    fs::rename(temporary, path, ec);
    if (ec) {
        fs::remove(temporary, ec);
        return failed("cannot write " + path + ": " + ec.message());
    }
    if (q.json) {
        out(ctl::dump({{"profile", path}}) + "\n");
    } else {
        out("Wrote the built-in profile to " + path +
            ".\nEdit it, then run 'limberctl check' and 'limberctl reload'.\n");
    }
    const char* overriding = std::getenv("LIMBER_PROFILE");
    if (overriding != nullptr && *overriding != '\0')
        err(std::string("limberctl: note: $LIMBER_PROFILE is set, so limberd reads ") + overriding + " instead\n");
    return 0;
}

/** Today's local date. */
limber::core::CivilDay today(std::time_t now) { return limber::adapters::HistoryStore::local_day(now); }

int stats(const ctl::Request& q, std::time_t now) {
    namespace core = limber::core;
    using limber::adapters::HistoryStore;
    const core::CivilDay last = today(now);
    const core::CivilDay first = q.since ? *q.since : core::add_days(last, -(q.days - 1));
    // Every event (for the streaks, which reach back before the range); retention keeps it to a year.
    std::vector<core::DayCount> counts;
    ctl::StatsSource source{"limberd", {}};
    try {
        ctl::BusClient bus;
        counts = bus.history(0);
    } catch (const ctl::BusFailure&) {
        // No limberd (or one that does not know History): read the file, read-only.
        source = {"file", HistoryStore::default_path()};
        try {
            HistoryStore store(source.path, HistoryStore::Mode::read_only);
            counts = store.counts(0);
            // Active time of the days shown; no limberd runs, so a run without a stop ended with its last event.
            for (auto& row : store.active(first)) counts.push_back(std::move(row));
        } catch (const limber::adapters::HistoryError& e) {
            return failed(e.what());
        }
    }
    const auto report = core::compute_stats(counts, first, last);
    if (q.json)
        out(ctl::stats_json_text(report, source) + "\n");
    else if (q.csv)
        out(ctl::stats_csv(report));
    else
        out(ctl::stats_text(report, q.ascii || ::isatty(STDOUT_FILENO) == 0));
    return 0;
}

void print_water(const ctl::Request& q, std::int64_t ml, std::int64_t today_ml, std::int64_t goal_ml) {
    if (q.json) {
        out(ctl::dump({{"ml", ml},
                       {"today_ml", today_ml},
                       {"goal_ml", goal_ml > 0 ? nlohmann::json(goal_ml) : nlohmann::json()}}) +
            "\n");
        return;
    }
    std::string line = "Logged " + std::to_string(ml) + "ml: " + std::to_string(today_ml) + "ml today";
    if (goal_ml > 0)
        line += " of " + std::to_string(goal_ml) + "ml (" +
                std::to_string(std::lround(100.0 * static_cast<double>(today_ml) / static_cast<double>(goal_ml))) +
                "%)";
    out(line + ".\n");
}

int drank(const ctl::Request& q, std::time_t now) {
    namespace core = limber::core;
    using limber::adapters::HistoryStore;
    try {
        ctl::BusClient bus;
        const auto water = bus.drank(q.amount_ml);
        print_water(q, water.ml, water.today_ml, water.goal_ml);
        return 0;
    } catch (const ctl::BusFailure& failure) {
        if (!ctl::BusClient::not_running(failure)) throw;
    }
    // No limberd: write it to the history file ourselves (the one case where limberctl writes it).
    core::WaterPlan plan;
    const auto loaded = limber::adapters::load_profile(limber::adapters::locate_profile({}));
    if (loaded.profile)
        plan = core::water_plan(*loaded.profile);
    else if (q.amount_ml == 0)
        err("limberctl: note: the profile has errors (see 'limberctl check'); counting a glass as " +
            std::to_string(plan.glass_ml) + "ml\n");
    const int ml = q.amount_ml > 0 ? q.amount_ml : plan.glass_ml;
    std::string problem;
    HistoryStore store(HistoryStore::default_path(), HistoryStore::Mode::write,
                       [&problem](bool warning, const std::string& line) {
                           if (warning) problem = line;
                       });
    store.record(HistoryStore::now_event(core::EventKind::water, {}, ml));
    if (store.pending() > 0) {
        const auto cut = problem.find("; reminders go on");
        return failed("could not log the water: " + (cut == std::string::npos ? problem : problem.substr(0, cut)));
    }
    if (!problem.empty()) err("limberctl: " + problem + "\n");  // e.g. a damaged file set aside
    print_water(q, ml, store.water_on(today(now)), plan.goal_ml);
    return 0;
}

int run(const ctl::Request& q, std::time_t now) {
    using ctl::CommandId;
    const bool json = q.json;
    switch (q.command->id) {
        case CommandId::check:
            return check(q);
        case CommandId::init:
            return init(q);
        case CommandId::stats:
            return stats(q, now);
        case CommandId::drank:
            return drank(q, now);
        case CommandId::completions:
            out(ctl::completion_script(q.name));
            return 0;
        case CommandId::interface_xml:
            out(limber::bus::introspection_xml);
            return 0;
        case CommandId::help:
            return 0;  // handled before
        default:
            break;
    }

    ctl::BusClient bus;
    switch (q.command->id) {
        case CommandId::status: {
            const std::string format = !q.format.empty() ? q.format : json ? "json" : "text";
            std::optional<ctl::Status> got;
            try {
                got = bus.status();
            } catch (const ctl::BusFailure& failure) {
                // A bar shows "stopped" rather than an error (as watch does); people and
                // scripts asking for the status get the spec's exit 1 and the reason.
                if (format != "waybar" || !ctl::BusClient::not_running(failure)) throw;
                out(ctl::stopped_line(format) + "\n");
                return 0;
            }
            const auto& status = *got;
            if (format == "json")
                out(ctl::dump(ctl::status_json(status)) + "\n");
            else if (format == "waybar")
                out(ctl::dump(ctl::status_waybar(status, now)) + "\n");
            else
                out(ctl::status_text(status, now));
            return 0;
        }
        case CommandId::pause: {
            bus.pause(q.duration, q.until);
            const std::int64_t until = q.until ? *q.until : q.duration ? now + *q.duration : 0;
            if (json)
                out(ctl::dump(
                        {{"paused_until", until > 0 ? nlohmann::json(limber::core::iso8601_local(until)) : nullptr}}) +
                    "\n");
            else if (until > 0)
                out("Paused until " + ctl::clock_time(until) + " (" + ctl::in_time(until - now) + ").\n");
            else
                out("Paused until you run 'limberctl resume'.\n");
            return 0;
        }
        case CommandId::resume:
            bus.resume();
            if (json)
                out(ctl::dump({{"resumed", true}}) + "\n");
            else
                out("Resumed.\n");
            return 0;
        case CommandId::snooze:
        case CommandId::done:
        case CommandId::skip: {
            const auto id = q.command->id;
            const char* method = id == CommandId::snooze ? "Snooze" : id == CommandId::done ? "Done" : "Skip";
            const char* key = id == CommandId::snooze ? "snoozed" : id == CommandId::done ? "done" : "skipped";
            const auto names = bus.answer(method, q.name, id == CommandId::snooze ? q.duration : std::nullopt);
            if (json) {
                auto result = nlohmann::json{{key, names}};
                if (id == CommandId::snooze && q.duration) result["for"] = *q.duration;
                out(ctl::dump(result) + "\n");
            } else if (names.empty()) {
                out("Nothing to answer.\n");
            } else if (id == CommandId::snooze) {
                // When each comes back (present time), as status would say it.
                std::vector<std::string> described;
                ctl::Status after;
                try {
                    after = bus.status();
                } catch (const ctl::BusFailure&) {
                }
                for (const auto& name : names) {
                    std::string text = name;
                    for (const auto& r : after.reminders)
                        if (r.name == name) text += " (next " + ctl::in_time(r.due_in) + ")";
                    described.push_back(text);
                }
                out("Snoozed " + limber::core::join(described, ", ") + ".\n");
            } else {
                out(std::string(id == CommandId::done ? "Done: " : "Skipped: ") + limber::core::join(names, ", ") +
                    ".\n");
            }
            return 0;
        }
        case CommandId::trigger:
            bus.trigger(q.name);
            if (json)
                out(ctl::dump({{"triggered", q.name}}) + "\n");
            else
                out("Showing " + q.name + " now.\n");
            return 0;
        case CommandId::reload: {
            const auto profile = bus.reload();
            if (json)
                out(ctl::dump({{"profile", profile}}) + "\n");
            else if (profile.empty() || profile == "built-in")
                out("Reloaded: the built-in profile.\n");
            else
                out("Reloaded " + profile + ".\n");
            return 0;
        }
        case CommandId::schedule: {
            const std::int64_t span = q.duration.value_or(default_schedule_span);
            const auto showings = bus.schedule(span);
            if (json)
                out(ctl::dump(ctl::schedule_json(showings)) + "\n");
            else
                out(ctl::schedule_text(showings, now, span));
            return 0;
        }
        case CommandId::watch:
            return ctl::watch(bus, !q.format.empty() ? q.format : json ? "json" : "text");
        case CommandId::reminder_names:
            for (const auto& r : bus.status().reminders) out(r.name + "\n");
            return 0;
        default:
            return 0;
    }
}

}  // namespace

int main(int argc, char** argv) try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const std::time_t now = std::time(nullptr);
    const auto parsed = ctl::parse(args, now);
    const auto& q = parsed.request;
    if (!parsed.ok()) {
        const std::string who = q.command != nullptr ? "limberctl " + std::string(q.command->name) : "limberctl";
        err(who + ": " + parsed.error + "\nTry '" + who + " --help'.\n");
        return 2;
    }
    if (q.version) {
        out("limberctl " LIMBER_VERSION "\n");
        return 0;
    }
    if (q.help) {
        out(q.command != nullptr ? ctl::command_help(*q.command) : ctl::overview_help());
        return 0;
    }
    try {
        return run(q, now);
    } catch (const ctl::BusFailure& failure) {
        if (q.command->id == ctl::CommandId::reminder_names) return 1;  // completions stay quiet
        if (failure.remote_name() == limber::bus::error::invalid_profile) {
            // Every PATH:LINE:COLUMN: error line as limberd found them, then what it means.
            std::string lines = failure.what();
            if (!lines.empty() && lines.back() != '\n') lines += '\n';
            if (lines != "\n") err(lines);
            return failed("the profile has errors; limberd keeps the one it had");
        }
        return failed(failure.what());
    }
} catch (const std::exception& e) {
    // Out of memory, or a bug: still one line and exit 1, never an abort.
    return failed(std::string("internal error: ") + e.what());
}
