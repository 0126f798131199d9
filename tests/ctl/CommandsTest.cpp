// limberctl's command line: the table, parsing, help and completions.

#include "LocalZone.hpp"

#include <limber/core/Duration.hpp>
#include <limber/ctl/Commands.hpp>

#include <catch2/catch.hpp>

#include <set>

using namespace limber::ctl;
using limber::test::central_europe;
using limber::test::LocalZone;
using limber::test::utc;

namespace {

// Wednesday 2026-11-25 10:00 in Berlin (+01:00).
const std::time_t wednesday_ten = static_cast<std::time_t>(utc(2026, 11, 25, 9, 0));

ParseResult run(std::vector<std::string> args, std::time_t now = wednesday_ten) { return parse(args, now); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the command table is consistent", "[ctl][table]") {
    std::set<std::string_view> names;
    for (const auto& c : commands()) {
        CHECK(names.insert(c.name).second);
        CHECK(find_command(c.name) == &c);
        CHECK_FALSE(c.summary.empty());
        CHECK_FALSE(c.details.empty());
        std::set<std::string_view> options;
        for (const auto& p : c.options) CHECK(options.insert(p.name).second);
        for (const auto& p : common_options()) CHECK(options.insert(p.name).second);
        bool optional_seen = false;
        for (const auto& p : c.args) {
            // An optional positional cannot come before a required one.
            if (!p.required)
                optional_seen = true;
            else
                CHECK_FALSE(optional_seen);
        }
    }
    for (auto name : {"status", "pause", "resume", "snooze", "done", "skip", "trigger", "reload", "schedule", "check",
                      "stats", "drank", "watch", "init"})
        CHECK(find_command(name) != nullptr);
    CHECK(find_command("nope") == nullptr);
}

TEST_CASE("every command has a handler of its own", "[ctl][table]") {
    // Handler cannot be null (its nullptr constructor is deleted) nor left out of a row (no default);
    // this also catches two rows sharing one by a slip of copy and paste.
    std::set<Handler::Function> handlers;
    for (const auto& c : commands()) {
        INFO(c.name);
        CHECK(c.handler.function() != nullptr);
        CHECK(handlers.insert(c.handler.function()).second);
    }
    CHECK(handlers.size() == commands().size());
}

TEST_CASE("global options and the command", "[ctl][parse]") {
    SECTION("--json before or after the command") {
        auto r = run({"--json", "status"});
        REQUIRE(r.ok());
        CHECK(r.request.json);
        CHECK(r.request.command->name == "status");
        r = run({"status", "--json"});
        REQUIRE(r.ok());
        CHECK(r.request.json);
    }
    SECTION("status --format") {
        auto r = run({"status", "--format", "waybar"});
        REQUIRE(r.ok());
        CHECK(r.request.format == "waybar");
        r = run({"status", "--format=json"});
        REQUIRE(r.ok());
        CHECK(r.request.format == "json");
        r = run({"status", "--format", "xml"});
        CHECK_FALSE(r.ok());
        CHECK(contains(r.error, "waybar"));
    }
    SECTION("status and watch --soon") {
        auto r = run({"status", "--format", "waybar"});
        REQUIRE(r.ok());
        CHECK(r.request.soon == 60);  // a minute unless told
        r = run({"watch", "--format", "waybar", "--soon", "2m"});
        REQUIRE(r.ok());
        CHECK(r.request.soon == 120);
        CHECK_FALSE(r.request.duration.has_value());
        r = run({"status", "--soon", "0s"});
        REQUIRE(r.ok());
        CHECK(r.request.soon == 0);
        r = run({"status", "--soon", "5"});
        CHECK_FALSE(r.ok());
        CHECK(contains(r.error, "--soon: "));
    }
    SECTION("help and version") {
        auto r = run({"--help"});
        REQUIRE(r.ok());
        CHECK(r.request.help);
        CHECK(r.request.command == nullptr);
        r = run({"help", "pause"});
        REQUIRE(r.ok());
        CHECK(r.request.help);
        REQUIRE(r.request.command != nullptr);
        CHECK(r.request.command->name == "pause");
        r = run({"snooze", "--help"});
        REQUIRE(r.ok());
        CHECK(r.request.help);
        CHECK(r.request.command->name == "snooze");
        r = run({"-h", "trigger"});
        REQUIRE(r.ok());
        CHECK(r.request.help);
        CHECK(r.request.command->name == "trigger");
        r = run({"help"});
        REQUIRE(r.ok());
        CHECK(r.request.help);
        CHECK(r.request.command == nullptr);
        r = run({"--version"});
        REQUIRE(r.ok());
        CHECK(r.request.version);
    }
    SECTION("usage errors") {
        CHECK(run({}).error == "no command given, e.g. 'limberctl status'");
        CHECK(run({"--frob", "status"}).error == "unknown option '--frob'");
        CHECK(run({"status", "--frob"}).error == "unknown option '--frob'");
        CHECK(run({"frob"}).error == "unknown command 'frob'");
        CHECK(run({"stauts"}).error == "unknown command 'stauts'; did you mean 'status'?");
        CHECK(run({"paus"}).error == "unknown command 'paus'; did you mean 'pause'?");
        CHECK(run({"status", "now"}).error == "takes no arguments");
        CHECK(run({"snooze", "a", "b"}).error == "too many arguments");
        CHECK(run({"help", "frob"}).error == "unknown command \"frob\"");
        CHECK(run({"snooze", "--for"}).error == "--for needs a value");
        // Abbreviations are not guessed: scripts must keep working when options are added.
        CHECK_FALSE(run({"snooze", "--fo", "5m"}).ok());
    }
}

TEST_CASE("durations", "[ctl][parse]") {
    auto r = run({"pause", "30m"});
    REQUIRE(r.ok());
    CHECK(r.request.duration == 1800);
    CHECK_FALSE(r.request.until);

    r = run({"pause", "1h 30m"});
    REQUIRE(r.ok());
    CHECK(r.request.duration == 5400);

    r = run({"pause"});
    REQUIRE(r.ok());
    CHECK_FALSE(r.request.duration);
    CHECK_FALSE(r.request.until);

    r = run({"snooze", "posture", "--for", "10m"});
    REQUIRE(r.ok());
    CHECK(r.request.name == "posture");
    CHECK(r.request.duration == 600);

    r = run({"schedule", "--for=2h"});
    REQUIRE(r.ok());
    CHECK(r.request.duration == 7200);

    SECTION("a bad duration shows the accepted forms") {
        const std::string forms = limber::core::duration_forms();
        r = run({"pause", "30"});
        CHECK(contains(r.error, "\"30\""));
        CHECK(contains(r.error, forms));
        r = run({"snooze", "--for", "5 parsecs"});
        CHECK(contains(r.error, "--for: "));
        CHECK(contains(r.error, forms));
        r = run({"schedule", "--for", "0s"});
        CHECK(contains(r.error, "at least 1s"));
    }
}

TEST_CASE("pause --until HH:MM is today, or tomorrow once passed", "[ctl][parse][time]") {
    LocalZone zone(central_europe);

    SECTION("later today") {
        auto r = run({"pause", "--until", "14:00"});
        REQUIRE(r.ok());
        CHECK(r.request.until == utc(2026, 11, 25, 13, 0));
        CHECK_FALSE(r.request.duration);
    }
    SECTION("already passed today: tomorrow") {
        auto r = run({"pause", "--until", "09:30"});
        REQUIRE(r.ok());
        CHECK(r.request.until == utc(2026, 11, 26, 8, 30));
    }
    SECTION("exactly now counts as passed") {
        CHECK(next_time_of_day("10:00", wednesday_ten).at == utc(2026, 11, 26, 9, 0));
        CHECK(next_time_of_day("10:01", wednesday_ten).at == utc(2026, 11, 25, 9, 1));
    }
    SECTION("midnight and one-digit hours") {
        CHECK(next_time_of_day("0:00", wednesday_ten).at == utc(2026, 11, 25, 23, 0));
        CHECK(next_time_of_day("9:05", wednesday_ten).at == utc(2026, 11, 26, 8, 5));
        CHECK(next_time_of_day("23:59", wednesday_ten).at == utc(2026, 11, 25, 22, 59));
    }
    SECTION("across a DST change the wall-clock time holds") {
        // Saturday 2026-03-28 20:00 CET; Sunday starts summer time (+02:00).
        const auto saturday_evening = static_cast<std::time_t>(utc(2026, 3, 28, 19, 0));
        CHECK(next_time_of_day("09:00", saturday_evening).at == utc(2026, 3, 29, 7, 0));
        CHECK(next_time_of_day("21:00", saturday_evening).at == utc(2026, 3, 28, 20, 0));
    }
    SECTION("not a time") {
        for (auto bad : {"24:00", "12:60", "9:5", "0930", "ab:cd", "", ":30", "12:", "123:00", "-1:00", "12:3x"}) {
            const auto u = next_time_of_day(bad, wednesday_ten);
            CHECK_FALSE(u.at);
            CHECK(contains(u.error, "HH:MM"));
        }
        auto r = run({"pause", "--until", "25:00"});
        CHECK(r.error == "--until: \"25:00\" is not a time of day; use HH:MM, e.g. \"14:30\"");
    }
    SECTION("a DURATION or --until, not both") {
        CHECK(run({"pause", "30m", "--until", "14:00"}).error == "give a DURATION or --until HH:MM, not both");
    }
}

TEST_CASE("names, paths, numbers and amounts", "[ctl][parse]") {
    auto r = run({"trigger"});
    CHECK(r.error == "missing NAME, the reminder to show");
    REQUIRE(r.request.command != nullptr);  // so the hint can name the command
    CHECK(r.request.command->name == "trigger");

    r = run({"trigger", "water"});
    REQUIRE(r.ok());
    CHECK(r.request.name == "water");

    r = run({"done"});
    REQUIRE(r.ok());
    CHECK(r.request.name.empty());  // the one on screen

    r = run({"skip", ""});
    CHECK_FALSE(r.ok());

    r = run({"check", "/tmp/p.toml"});
    REQUIRE(r.ok());
    CHECK(r.request.path == "/tmp/p.toml");
    r = run({"check"});
    REQUIRE(r.ok());
    CHECK_FALSE(r.request.path);

    r = run({"stats", "--days", "3"});
    REQUIRE(r.ok());
    CHECK(r.request.days == 3);
    CHECK_FALSE(run({"stats", "--days", "0"}).ok());
    CHECK_FALSE(run({"stats", "--days", "3x"}).ok());
    r = run({"stats", "--since", "2026-11-01", "--csv", "--ascii"});
    REQUIRE(r.ok());
    CHECK(r.request.since == 20261101);
    CHECK(r.request.csv);
    CHECK(r.request.ascii);
    CHECK_FALSE(r.request.days_given);
    CHECK(run({"stats", "--since", "2026-11-31"}).error ==
          "--since: \"2026-11-31\" is not a date; use YYYY-MM-DD, e.g. \"2026-11-25\"");
    {
        LocalZone zone(central_europe);
        CHECK(run({"stats", "--since", "2026-11-26"}).error ==
              "--since: \"2026-11-26\" is after today; give a date from 1970-01-01 up to today (2026-11-25)");
        CHECK(run({"stats", "--since", "2026-11-25"}).ok());
        // A real date outside the range says which range is accepted, not that it is no date.
        for (const char* early : {"1900-01-01", "1969-12-31", "0000-01-01", "1900-02-29"})
            CHECK(run({"stats", "--since", early}).error ==
                  "--since: \"" + std::string(early) +
                      "\" is before 1970-01-01; give a date from 1970-01-01 up to today (2026-11-25)");
        CHECK(run({"stats", "--since", "1970-01-01"}).ok());
        // Before 1970 but no date at all is still that.
        CHECK(run({"stats", "--since", "1969-13-01"}).error ==
              "--since: \"1969-13-01\" is not a date; use YYYY-MM-DD, e.g. \"2026-11-25\"");
    }
    CHECK(run({"stats", "--since", "2026-11-01", "--days", "3"}).error == "give --days N or --since DATE, not both");
    CHECK(run({"--json", "stats", "--csv"}).error == "give --json or --csv, not both");

    r = run({"drank", "0.5l"});
    REQUIRE(r.ok());
    CHECK(r.request.amount_ml == 500);
    r = run({"drank"});
    REQUIRE(r.ok());
    CHECK(r.request.amount_ml == 0);
    CHECK(run({"drank", "3"}).error == "\"3\" is not an amount; use e.g. \"250ml\", \"0.5l\" or \"2l\"");
    CHECK(run({"drank", "25l"}).error == "\"25l\" is out of range (1ml to 20l)");

    r = run({"init", "--force"});
    REQUIRE(r.ok());
    CHECK(r.request.force);

    r = run({"completions", "zsh"});
    REQUIRE(r.ok());
    CHECK(r.request.name == "zsh");
    CHECK_FALSE(run({"completions", "tcsh"}).ok());
    CHECK_FALSE(run({"completions"}).ok());
}

TEST_CASE("help is generated from the table", "[ctl][help]") {
    const auto overview = overview_help();
    CHECK(contains(overview, "Usage: limberctl [--json] COMMAND [ARGS]"));
    for (const auto& c : commands()) {
        CHECK(contains(overview, synopsis(c).substr(10)) != c.hidden);
        const auto help = command_help(c);
        CHECK(contains(help, "Usage: " + synopsis(c)));
        for (const auto& p : c.options) CHECK(contains(help, "--" + std::string(p.name)));
        for (const auto& p : c.args) CHECK(contains(help, std::string(p.name)));
        // Fits a terminal.
        std::size_t start = 0;
        while (start < help.size()) {
            const auto end = help.find('\n', start);
            CHECK(end - start <= 80);
            start = end + 1;
        }
    }
    // The overview's options and notes fit a terminal too, and no sentence in them stops short.
    std::size_t start = overview.find("\nOptions:\n");
    REQUIRE(start != std::string::npos);
    while (start < overview.size()) {
        const auto end = overview.find('\n', start);
        CHECK(end - start <= 80);
        start = end + 1;
    }
    CHECK(contains(overview, "'limberctl help COMMAND' prints a command's\n              arguments and options\n"));
    CHECK(contains(overview, duration_help()));
    for (const auto& unit : limber::core::duration_units) CHECK(contains(duration_help(), std::string(unit.name)));
    CHECK(overview.substr(overview.size() - 2) == ".\n");
    CHECK(synopsis(*find_command("pause")) == "limberctl pause [DURATION] [--until HH:MM]");
    CHECK(synopsis(*find_command("trigger")) == "limberctl trigger NAME");
    CHECK(synopsis(*find_command("snooze")) == "limberctl snooze [NAME] [--for DURATION]");
}

TEST_CASE("completions are generated from the table", "[ctl][completions]") {
    const auto bash = completion_script("bash");
    const auto zsh = completion_script("zsh");
    const auto fish = completion_script("fish");
    CHECK(contains(bash, "complete -F _limberctl limberctl"));
    CHECK(zsh.starts_with("#compdef limberctl\n"));
    CHECK(contains(fish, "complete -c limberctl"));
    CHECK(completion_script("tcsh").empty());
    for (const auto& c : commands()) {
        if (c.hidden) {
            // Internal commands are called by the scripts, never offered.
            CHECK_FALSE(contains(bash, std::string(c.name) + ")"));
            CHECK_FALSE(contains(zsh, "'" + std::string(c.name) + ":"));
            CHECK_FALSE(contains(fish, "-a " + std::string(c.name)));
            continue;
        }
        const std::string name(c.name);
        CHECK(contains(bash, "        " + name + ") valued="));
        CHECK(contains(zsh, "'" + name + ":"));
        CHECK(contains(fish, "-a " + name + " -d"));
        for (const auto& p : c.options) {
            CHECK(contains(bash, "--" + std::string(p.name)));
            CHECK(contains(zsh, "'--" + std::string(p.name)));
            CHECK(contains(fish, "__fish_seen_subcommand_from " + name + "' -l " + std::string(p.name)));
        }
    }
    // Reminder names come from the running limberd.
    CHECK(contains(bash, "__reminders"));
    CHECK(contains(zsh, "__reminders"));
    CHECK(contains(fish, "__reminders"));
}
