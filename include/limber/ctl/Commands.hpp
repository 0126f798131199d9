#pragma once
// limberctl's command table: one entry per command, with its arguments,
// options and handler. Parsing, `--help`, `limberctl help COMMAND`, the bash,
// zsh and fish completions and the dispatch are all generated from it, so they
// cannot drift apart.

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace limber::ctl {

/** How an argument's text is read, checked and completed. */
enum class Type {
    flag,      ///< an option without a value
    duration,  ///< "45s", "20m", "1h30m"; longer than 0s
    time,      ///< "HH:MM", the next such local time
    choice,    ///< one of Param::choices
    reminder,  ///< a reminder name; completed by asking limberd
    path,      ///< a file
    number,    ///< a whole number, at least 1
    amount,    ///< "250ml", "0.5l"
    date,      ///< "2026-11-25", not after today
    command,   ///< a command name (for `help`)
};

/** Where a parsed value lands in the Request. */
enum class Slot { json, help, duration, until, format, force, days, since, csv, ascii, name, path, amount, soon };

/** An argument (positional, name like "NAME") or an option (name like "for"). */
struct Param {
    std::string_view name;
    std::string_view metavar;  ///< options: the value's placeholder, empty for flags
    Type type;
    Slot slot;
    std::string_view help;
    std::string_view choices = {};  ///< Type::choice: space-separated
    bool required = false;          ///< positionals only
};

struct Request;

/**
 * What runs a command (declared beside the table in Commands.cpp, defined in src/ctl/Handlers.cpp): returns the exit
 * status. It has no default and cannot be null, so a table row without one does not compile.
 */
class Handler {
public:
    using Function = int (*)(const Request& request, std::time_t now);
    constexpr Handler(Function f) noexcept : function_(f) {}  // NOLINT: implicit, for the table
    Handler(std::nullptr_t) = delete;
    int operator()(const Request& request, std::time_t now) const { return function_(request, now); }
    Function function() const noexcept { return function_; }

private:
    Function function_;
};

/** One row of the table: a new command is one of these and its handler. */
struct Command {
    std::string_view name;
    Handler handler;
    std::string_view summary;  ///< one line, for the overview and completions (English: see text_of())
    std::string_view details;  ///< a paragraph for `limberctl help COMMAND`
    std::vector<Param> args;
    std::vector<Param> options;  ///< besides the common --json and --help
    bool hidden = false;         ///< internal (used by the completions); not listed
};

/**
 * A text of the table (a summary, details, a parameter's help: N_() literals, so NUL-terminated) in the
 * person's language. The man pages read the table's fields as they are: English.
 */
const char* text_of(std::string_view marked);

/** Every command, in the order of the overview. */
const std::vector<Command>& commands();

/** Options every command takes (--json, --help). */
const std::vector<Param>& common_options();

/** The command of that name, or null. */
const Command* find_command(std::string_view name);

/** A command line, read and checked; nothing has been done yet. */
/** `--soon`'s default: Waybar's class "soon" within a minute of the next showing. */
inline constexpr std::int64_t default_soon_s = 60;

struct Request {
    const Command* command = nullptr;  ///< null with help or version
    bool json = false;
    bool help = false;                     ///< print help (of command, or the overview) and exit 0
    bool version = false;                  ///< print the version and exit 0
    std::string name;                      ///< reminder, help topic or shell
    std::optional<std::int64_t> duration;  ///< seconds (pause DURATION, --for)
    std::optional<std::int64_t> until;     ///< Unix seconds (pause --until)
    std::string format;                    ///< status --format; empty = text, or json with --json
    std::int64_t soon = default_soon_s;    ///< status/watch --soon: seconds; Waybar's class "soon" within it
    std::optional<std::string> path;       ///< check PATH
    int days = 7;                          ///< stats --days
    bool days_given = false;               ///< --days was on the command line
    std::optional<std::int32_t> since;     ///< stats --since, as yyyymmdd
    bool csv = false;                      ///< stats --csv
    bool ascii = false;                    ///< stats --ascii
    bool force = false;                    ///< init --force
    int amount_ml = 0;                     ///< drank AMOUNT; 0 = one glass
};

/** A Request, or a usage error (exit 2) with its message. */
struct ParseResult {
    Request request;
    std::string error;  ///< non-empty: what is wrong, without the "limberctl: " prefix
    bool ok() const noexcept { return error.empty(); }
};

/** Parses the arguments after argv[0]; `now` resolves `pause --until HH:MM`. */
ParseResult parse(const std::vector<std::string>& args, std::time_t now);

/**
 * "HH:MM" (or "H:MM") as the next such local time after `now`: today, or
 * tomorrow if that time has passed. Empty with an error message otherwise.
 */
struct Until {
    std::optional<std::int64_t> at;
    std::string error;
};
Until next_time_of_day(std::string_view hhmm, std::time_t now);

/** "limberctl pause [DURATION] [--until HH:MM]" */
std::string synopsis(const Command& command);

/** The paragraph on DURATION arguments (from core::duration_units), in --help and limberctl(1). */
std::string duration_help();

/** The overview printed by `limberctl --help`. */
std::string overview_help();

/** The help of one command. */
std::string command_help(const Command& command);

/** A completion script for "bash", "zsh" or "fish"; empty for anything else. */
std::string completion_script(std::string_view shell);

/** The closest command name to a mistyped one, or empty. */
std::string closest_command(std::string_view typed);

}  // namespace limber::ctl
