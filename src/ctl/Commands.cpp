#include <limber/ctl/Commands.hpp>

#include <limber/core/Duration.hpp>
#include <limber/core/History.hpp>
#include <limber/core/Text.hpp>
#include <limber/core/Translate.hpp>

#include <boost/program_options.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>

namespace limber::ctl {
namespace po = boost::program_options;
using core::format;
using core::tr;

// The handler column, declared here beside the rows that name them and defined in src/ctl/Handlers.cpp:
// a command is its row, this line and its handler; a row naming a handler that is not defined does not link.
namespace handle {
int status(const Request& q, std::time_t now);
int pause(const Request& q, std::time_t now);
int resume(const Request& q, std::time_t now);
int snooze(const Request& q, std::time_t now);
int done(const Request& q, std::time_t now);
int skip(const Request& q, std::time_t now);
int trigger(const Request& q, std::time_t now);
int reload(const Request& q, std::time_t now);
int schedule(const Request& q, std::time_t now);
int check(const Request& q, std::time_t now);
int stats(const Request& q, std::time_t now);
int drank(const Request& q, std::time_t now);
int watch(const Request& q, std::time_t now);
int init(const Request& q, std::time_t now);
int help(const Request& q, std::time_t now);
int completions(const Request& q, std::time_t now);
int reminder_names(const Request& q, std::time_t now);
int interface_xml(const Request& q, std::time_t now);
}  // namespace handle

namespace {

constexpr std::string_view formats = "text json waybar";

const std::vector<Command> table = {
    {"status",
     handle::status,
     N_("state, pause, each reminder's next time"),
     N_("Shows whether limber is active, paused, away, outside working hours or held by do-not-disturb, "
        "which profile it uses, and each reminder's kind, interval and next time. \"in 12m\" counts present "
        "time: it stands still while you are away, paused or outside working hours."),
     {},
     {{"format", "FORMAT", Type::choice, Slot::format, N_("text (default), json (as --json) or waybar (for Waybar)"),
       formats},
      {"soon", "DURATION", Type::duration, Slot::soon,
       N_("waybar class \"soon\" this near a reminder (1m; 0s: off)")}}},
    {"pause",
     handle::pause,
     N_("pause all; no DURATION = until resume"),
     N_("Pauses every reminder: their clocks stop and nothing is shown. With DURATION or --until the pause "
        "ends by itself; otherwise it lasts until 'limberctl resume'. --until HH:MM is today, or tomorrow if "
        "that time has passed."),
     {{"DURATION", "", Type::duration, Slot::duration, N_("how long, e.g. 30m or 1h30m")}},
     {{"until", "HH:MM", Type::time, Slot::until, N_("pause until this local time")}}},
    {"resume",
     handle::resume,
     N_("end a pause"),
     N_("Ends a pause; every reminder continues where its clock stopped."),
     {},
     {}},
    {"snooze",
     handle::snooze,
     N_("postpone the reminder on screen (or NAME)"),
     N_("Postpones NAME, else the reminder on screen, else the one due next, by the profile's snooze length "
        "or --for DURATION, counted from now. A reminder can be snoozed max_snoozes times in a row."),
     {{"NAME", "", Type::reminder, Slot::name, N_("the reminder (default: the one on screen, else the next due)")}},
     {{"for", "DURATION", Type::duration, Slot::duration, N_("how long (default: the profile's snooze length)")}}},
    {"done",
     handle::done,
     N_("the reminder on screen (or NAME) is done"),
     N_("Records the reminder on screen, or NAME, as done and closes its notification, as its Done button does."),
     {{"NAME", "", Type::reminder, Slot::name, N_("the reminder (default: the one on screen)")}},
     {}},
    {"skip",
     handle::skip,
     N_("skip the reminder on screen (or NAME)"),
     N_("Records the reminder on screen, or NAME, as skipped and closes its notification, as its Skip button "
        "does; its clock starts again."),
     {{"NAME", "", Type::reminder, Slot::name, N_("the reminder (default: the one on screen)")}},
     {}},
    {"trigger",
     handle::trigger,
     N_("show a reminder now"),
     N_("Shows NAME now, as if it were due; its clock starts again."),
     {{"NAME", "", Type::reminder, Slot::name, N_("the reminder to show"), {}, true}},
     {}},
    {"reload",
     handle::reload,
     N_("re-read the profile; errors keep the old one"),
     N_("Makes limberd read its profile again. If it has errors, limberd keeps the one it has and every error "
        "is printed. Reminders that still exist keep their clocks; new ones start at zero."),
     {},
     {}},
    {"schedule",
     handle::schedule,
     N_("what will be shown (default: next 8h)"),
     N_("Lists each time a reminder will be shown in the next 8 hours (or --for DURATION), if you stay at the "
        "computer the whole time and nothing is paused, snoozed or answered. limberd works it out with its "
        "own scheduler. It looks at most 7 days ahead and lists at most 10,000 showings (a longer --for is "
        "refused, saying so)."),
     {},
     {{"for", "DURATION", Type::duration, Slot::duration, N_("how far ahead to look (default: 8h, at most 7d)")}}},
    {"check",
     handle::check,
     N_("validate a profile (no daemon needed)"),
     N_("Reads a profile the way limberd does and prints every error as PATH:LINE:COLUMN: error: MESSAGE. "
        "Without PATH, checks the profile limberd would use."),
     {{"PATH", "", Type::path, Slot::path, N_("the profile (default: the one limberd would use)")}},
     {}},
    {"stats",
     handle::stats,
     N_("what was shown and how it was answered"),
     // xgettext:no-c-format
     N_("What was shown and how it was answered, per day and reminder, with the water drunk: a table, a "
        "chart of the days (one column a day, a week per column beyond 60 days) and the streak of good days "
        "(those where at least 80% of the reminders shown were done or taken as a natural break; days "
        "without reminders neither count nor break it), and the active time of each day: the time at the "
        "computer, not idle, locked or asleep, on days when a presence source could tell. Reads from "
        "limberd, or from the history file when limberd is not running."),
     {},
     {{"days", "N", Type::number, Slot::days, N_("the last N days, today included (default: 7)")},
      {"since", "DATE", Type::date, Slot::since, N_("from DATE (YYYY-MM-DD) up to today")},
      {"csv", "", Type::flag, Slot::csv, N_("one row per day, for spreadsheets")},
      {"ascii", "", Type::flag, Slot::ascii, N_("plain ASCII chart (the default when not on a terminal)")}}},
    {"drank",
     handle::drank,
     N_("log water (default: one glass)"),
     N_("Logs water towards the daily goal: AMOUNT such as 250ml or 0.5l, or one glass (the glass of the "
        "profile's first hydration reminder, else 250ml). Works without limberd too: then it is written to "
        "the history file directly."),
     {{"AMOUNT", "", Type::amount, Slot::amount, N_("how much, e.g. 250ml or 0.5l (default: one glass)")}},
     {}},
    {"watch",
     handle::watch,
     N_("a line on every change, for status bars"),
     N_("Prints one line now and another whenever it would read differently, for status bars: waybar is "
        "Waybar's custom-module object (as status --format waybar), text the short line (\"posture 12m\") for "
        "polybar or i3blocks, json the --json status object. It follows limberd's signals and does not poll. "
        "While limberd is not running it prints a line saying so (class \"stopped\") and waits for it. It exits "
        "0 on SIGINT or SIGTERM, or when its reader closes the pipe."),
     {},
     {{"format", "FORMAT", Type::choice, Slot::format, N_("text (default), json or waybar"), formats},
      {"soon", "DURATION", Type::duration, Slot::soon,
       N_("waybar class \"soon\" this near a reminder (1m; 0s: off)")}}},
    {"init",
     handle::init,
     N_("write the built-in profile for editing"),
     N_("Writes the built-in profile, every key explained in its comments, to "
        "$XDG_CONFIG_HOME/limber/profile.toml (usually ~/.config/limber/profile.toml). Edit it, then run "
        "'limberctl check' and 'limberctl reload'."),
     {},
     {{"force", "", Type::flag, Slot::force, N_("overwrite an existing profile")}}},
    {"help",
     handle::help,
     N_("help on a command"),
     N_("Prints the help of COMMAND, or the overview."),
     {{"COMMAND", "", Type::command, Slot::name, N_("the command")}},
     {}},
    {"completions",
     handle::completions,
     N_("print a bash, zsh or fish completion script"),
     N_("Prints a completion script for SHELL, generated from limberctl's command table. cmake --install puts "
        "them where bash-completion, zsh and fish look; to try one: source <(limberctl completions bash)."),
     {{"SHELL", "", Type::choice, Slot::name, N_("bash, zsh or fish"), "bash zsh fish", true}},
     {}},
    // Hidden (for the completions and the tests): English only, never shown to a person.
    {"__reminders",
     handle::reminder_names,
     "the reminder names, for completions",
     "Prints the running limberd's reminder names, one a line.",
     {},
     {},
     true},
    {"__interface",
     handle::interface_xml,
     "the bus interface limberctl was built with",
     "Prints the D-Bus introspection XML compiled into limberctl, so tests can compare it with what the "
     "running limberd exports.",
     {},
     {},
     true},
};

const std::vector<Param> common = {
    {"json", "", Type::flag, Slot::json, N_("print JSON, for scripts")},
    {"help", "", Type::flag, Slot::help, N_("print this help")},
};

}  // namespace

const char* text_of(std::string_view marked) { return tr(marked.data()); }

namespace {

std::vector<std::string_view> words(std::string_view list) {
    std::vector<std::string_view> out;
    while (!list.empty()) {
        const auto space = list.find(' ');
        out.push_back(list.substr(0, space));
        if (space == std::string_view::npos) break;
        list.remove_prefix(space + 1);
    }
    return out;
}

/** Breaks a paragraph into lines of at most `width` characters. */
std::string wrap(std::string_view text, std::size_t width) {
    std::string out, line;
    for (const auto word : words(text)) {
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line.clear();
        }
        if (!line.empty()) line += ' ';
        line += word;
    }
    return out + line + "\n";
}

std::string option_label(const Param& p) {
    std::string out = p.name == "help" ? "-h, --help" : "--" + std::string(p.name);
    if (!p.metavar.empty()) out += " " + std::string(p.metavar);
    return out;
}

/** Reads `text` as parameter `p` into the request; returns an error or "". */
std::string apply(const Param& p, const std::string& text, Request& q, std::time_t now) {
    // Options name themselves in messages; a positional's text speaks for itself.
    const bool positional = p.metavar.empty() && p.type != Type::flag;
    const std::string where = positional ? "" : "--" + std::string(p.name) + ": ";
    switch (p.type) {
        case Type::flag:
            break;
        case Type::duration: {
            const auto parsed = core::parse_duration(text);
            if (!parsed) return where + parsed.error;
            const auto secs = std::chrono::duration_cast<std::chrono::seconds>(*parsed.value).count();
            if (p.slot == Slot::soon) {
                q.soon = secs;  // 0s: never soon
                return {};
            }
            if (secs <= 0) return where + format(tr("\"%s\" is no time at all; give at least 1s"), text.c_str());
            q.duration = secs;
            return {};
        }
        case Type::time: {
            auto until = next_time_of_day(text, now);
            if (!until.at) return where + until.error;
            q.until = until.at;
            return {};
        }
        case Type::choice: {
            const auto allowed = words(p.choices);
            if (std::find(allowed.begin(), allowed.end(), text) == allowed.end())
                return where + format(tr("\"%s\" is not one of %s"), text.c_str(), core::join(allowed, ", ").c_str());
            break;
        }
        case Type::reminder:
            if (text.empty()) return where + tr("a reminder name cannot be empty");
            break;
        case Type::path:
            if (text.empty()) return where + tr("the path is empty");
            break;
        case Type::number: {
            int n = 0;
            auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (ec != std::errc() || ptr != text.data() + text.size() || n < 1 || n > 36500)
                return where + format(tr("\"%s\" is not a whole number from 1 up"), text.c_str());
            q.days = n;
            q.days_given = true;
            return {};
        }
        case Type::amount: {
            const auto parsed = core::parse_amount(text);
            if (!parsed) return where + parsed.error;
            q.amount_ml = *parsed.value;
            return {};
        }
        case Type::date: {
            std::tm local{};
            localtime_r(&now, &local);
            const int today = (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
            char today_text[16];
            std::snprintf(today_text, sizeof today_text, "%04d-%02d-%02d", today / 10000, today / 100 % 100,
                          today % 100);
            // TRANSLATORS: the end of a message about a wrong date; %s is today's date, YYYY-MM-DD.
            const std::string range = format(tr("; give a date from 1970-01-01 up to today (%s)"), today_text);
            const auto day = core::parse_day_text(text);
            if (!day) {
                // The history starts in 1970: a well-formed date before it is out of range, not "not a date".
                // Month and day are checked in year 2000 (a leap year, so 29 February passes too).
                const bool year_digits = text.size() == 10 && std::all_of(text.begin(), text.begin() + 4,
                                                                          [](char c) { return c >= '0' && c <= '9'; });
                if (year_digits && text.compare(0, 4, "1970") < 0 && core::parse_day_text("2000" + text.substr(4)))
                    return where + format(tr("\"%s\" is before 1970-01-01"), text.c_str()) + range;
                return where + format(tr("\"%s\" is not a date; use YYYY-MM-DD, e.g. \"2026-11-25\""), text.c_str());
            }
            if (*day > today) return where + format(tr("\"%s\" is after today"), text.c_str()) + range;
            q.since = *day;
            return {};
        }
        case Type::command: {
            const Command* c = find_command(text);
            if (c == nullptr || c->hidden) {
                std::string msg = where + format(tr("unknown command \"%s\""), text.c_str());
                if (auto near = closest_command(text); !near.empty())
                    msg += format(tr("; did you mean '%s'?"), near.c_str());
                return msg;
            }
            break;
        }
    }
    switch (p.slot) {
        case Slot::json:
            q.json = true;
            break;
        case Slot::help:
            q.help = true;
            break;
        case Slot::force:
            q.force = true;
            break;
        case Slot::csv:
            q.csv = true;
            break;
        case Slot::ascii:
            q.ascii = true;
            break;
        case Slot::format:
            q.format = text;
            break;
        case Slot::name:
            q.name = text;
            break;
        case Slot::path:
            q.path = text;
            break;
        default:
            break;
    }
    return {};
}

/** Edits from a to b, a swap of two neighbouring letters counting as one (optimal string alignment). */
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

/** The key under which a positional is stored in program_options (not typable as an option). */
std::string positional_key(const Param& p) { return "@" + std::string(p.name); }

}  // namespace

const std::vector<Command>& commands() { return table; }

const std::vector<Param>& common_options() { return common; }

const Command* find_command(std::string_view name) {
    for (const auto& c : table)
        if (c.name == name) return &c;
    return nullptr;
}

std::string closest_command(std::string_view typed) {
    std::string best;
    std::size_t best_distance = 3;  // at most two edits away
    for (const auto& c : table) {
        if (c.hidden) continue;
        const auto d = edit_distance(typed, c.name);
        const bool prefix = typed.size() >= 2 && c.name.starts_with(typed);
        if (prefix || d < best_distance) {
            best = c.name;
            best_distance = prefix ? 0 : d;
        }
    }
    return best;
}

Until next_time_of_day(std::string_view hhmm, std::time_t now) {
    const std::string bad =
        format(tr("\"%s\" is not a time of day; use HH:MM, e.g. \"14:30\""), std::string(hhmm).c_str());
    const auto colon = hhmm.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || hhmm.size() - colon - 1 != 2) return {{}, bad};
    int hour = 0, minute = 0;
    auto digits = [](std::string_view s, int& out) {
        if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc() && ptr == s.data() + s.size();
    };
    if (!digits(hhmm.substr(0, colon), hour) || !digits(hhmm.substr(colon + 1), minute) || hour > 23 || minute > 59)
        return {{}, bad};
    std::tm local{};
    localtime_r(&now, &local);
    for (int day = 0; day < 3; ++day) {  // today, else tomorrow (a third day only if a DST gap ate it)
        std::tm t = local;
        t.tm_mday += day;
        t.tm_hour = hour;
        t.tm_min = minute;
        t.tm_sec = 0;
        t.tm_isdst = -1;
        const std::time_t at = std::mktime(&t);
        if (at != static_cast<std::time_t>(-1) && at > now) return {static_cast<std::int64_t>(at), {}};
    }
    return {{}, bad};
}

ParseResult parse(const std::vector<std::string>& args, std::time_t now) {
    ParseResult result;
    Request& q = result.request;
    auto fail = [&](std::string message) {
        result.error = std::move(message);
        return result;
    };

    // Global options, before the command.
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--json")
            q.json = true;
        else if (a == "--help" || a == "-h")
            q.help = true;
        else if (a == "--version")
            q.version = true;
        else if (a.size() > 1 && a[0] == '-')
            return fail(format(tr("unknown option '%s'"), a.c_str()));
        else
            break;
    }
    if (q.version) return result;
    if (i == args.size()) {
        if (q.help) return result;
        return fail(tr("no command given, e.g. 'limberctl status'"));
    }

    const Command* command = find_command(args[i]);
    if (command == nullptr) {
        std::string msg = format(tr("unknown command '%s'"), args[i].c_str());
        if (auto near = closest_command(args[i]); !near.empty())
            msg += format(tr("; did you mean '%s'?"), near.c_str());
        return fail(std::move(msg));
    }
    q.command = command;
    if (q.help) return result;  // "limberctl --help trigger"
    const std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());

    // The command's own options and arguments, from the table.
    po::options_description options;
    po::positional_options_description positionals;
    auto add_option = [&](const Param& p) {
        const std::string key = p.name == "help" ? "help,h" : std::string(p.name);
        if (p.type == Type::flag)
            options.add_options()(key.c_str(), "");
        else
            options.add_options()(key.c_str(), po::value<std::string>(), "");
    };
    for (const auto& p : command->options) add_option(p);
    for (const auto& p : common) add_option(p);
    for (const auto& p : command->args) {
        const std::string key = positional_key(p);
        options.add_options()(key.c_str(), po::value<std::string>(), "");
        positionals.add(key.c_str(), 1);
    }

    po::variables_map vm;
    try {
        const int style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
        po::store(po::command_line_parser(rest).options(options).positional(positionals).style(style).run(), vm);
    } catch (const po::unknown_option& e) {
        return fail(format(tr("unknown option '%s'"), e.get_option_name().c_str()));
    } catch (const po::invalid_command_line_syntax& e) {
        if (e.kind() == po::invalid_syntax::missing_parameter)
            return fail(format(tr("%s needs a value"), e.get_option_name().c_str()));
        return fail(e.what());
    } catch (const po::too_many_positional_options_error&) {
        return fail(command->args.empty() ? tr("takes no arguments") : tr("too many arguments"));
    } catch (const po::error& e) {
        return fail(e.what());
    }

    // Help first: "limberctl pause --until --help" still shows help.
    if (vm.count("help")) {
        q.help = true;
        return result;
    }
    for (const auto* list : {&command->options, &common}) {
        for (const auto& p : *list) {
            if (!vm.count(std::string(p.name))) continue;
            const std::string text = p.type == Type::flag ? "" : vm[std::string(p.name)].as<std::string>();
            if (auto error = apply(p, text, q, now); !error.empty()) return fail(error);
        }
    }
    for (const auto& p : command->args) {
        const std::string key = positional_key(p);
        if (!vm.count(key)) {
            // TRANSLATORS: "missing NAME, the reminder to show": an argument's name, then its help.
            if (p.required) return fail(format(tr("missing %s, %s"), std::string(p.name).c_str(), text_of(p.help)));
            continue;
        }
        if (auto error = apply(p, vm[key].as<std::string>(), q, now); !error.empty()) return fail(error);
    }

    // Rules across parameters.
    if (command->name == "pause" && q.duration && q.until)
        return fail(tr("give a DURATION or --until HH:MM, not both"));
    if (command->name == "stats" && q.days_given && q.since) return fail(tr("give --days N or --since DATE, not both"));
    if (command->name == "stats" && q.csv && q.json) return fail(tr("give --json or --csv, not both"));
    if (command->name == "help") {
        q.help = true;
        q.command = q.name.empty() ? nullptr : find_command(q.name);
        q.name.clear();
    }
    return result;
}

std::string synopsis(const Command& command) {
    std::string out = "limberctl " + std::string(command.name);
    for (const auto& p : command.args) out += p.required ? " " + std::string(p.name) : " [" + std::string(p.name) + "]";
    for (const auto& p : command.options) out += " [" + option_label(p) + "]";
    return out;
}

std::string duration_help() {
    // TRANSLATORS: the units are what limberctl reads: they stay English.
    return wrap(format(tr("DURATION is a number with a unit, e.g. 45s, 20m, 1h, 1h30m or \"20 minutes\"; units: %s."),
                       core::duration_unit_list().c_str()),
                78);
}

std::string overview_help() {
    std::string out = format(tr("Usage: %s"), "limberctl [--json] COMMAND [ARGS]") + "\n\n" +
                      tr("Controls limberd, the break reminder, over the D-Bus session bus.") + "\n\n" +
                      tr("Commands:") + "\n";
    std::size_t width = 0;
    for (const auto& c : table)
        if (!c.hidden) width = std::max(width, synopsis(c).size() - 10);
    for (const auto& c : table) {
        if (c.hidden) continue;
        std::string left = synopsis(c).substr(10);  // without "limberctl "
        left.resize(width + 2, ' ');
        out += "  " + left + text_of(c.summary) + "\n";
    }
    // TRANSLATORS: keep the option names and the alignment of the descriptions (12 columns).
    out += "\n" +
           std::string(tr("Options:\n"
                          "  --json      print JSON, for scripts\n"
                          "  -h, --help  print this help; 'limberctl help COMMAND' prints a command's\n"
                          "              arguments and options\n"
                          "  --version   print the version\n")) +
           "\n";
    out += duration_help();
    out += tr("Exit status: 0 done, 1 failed (the reason on standard error), 2 usage error.") + std::string("\n");
    return out;
}

std::string command_help(const Command& command) {
    std::string out = format(tr("Usage: %s"), synopsis(command).c_str()) + "\n\n";
    // The summary is a fragment; the details are the sentences.
    out += wrap(text_of(command.details), 78);
    std::vector<std::pair<std::string, std::string_view>> rows;
    std::size_t width = 0;
    for (const auto& p : command.args) rows.emplace_back(std::string(p.name), text_of(p.help));
    const std::size_t arg_rows = rows.size();
    for (const auto& p : command.options) rows.emplace_back(option_label(p), text_of(p.help));
    for (const auto& p : common) rows.emplace_back(option_label(p), text_of(p.help));
    for (const auto& [left, help] : rows) width = std::max(width, left.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (r == 0 && arg_rows > 0) out += "\n" + std::string(tr("Arguments:")) + "\n";
        if (r == arg_rows) out += "\n" + std::string(tr("Options:")) + "\n";
        std::string left = rows[r].first;
        left.resize(width + 2, ' ');
        out += "  " + left + std::string(rows[r].second) + "\n";
    }
    return out;
}

}  // namespace limber::ctl
