// The profile loader: every validation rule against an exact expected report,
// good profiles down to their values, and the profile lookup order.
//
// Bad profiles live in tests/data as bad-RULE.toml, each beside bad-RULE.expected
// holding the exact report (what limberd --check prints on stderr). They are
// loaded with load_profile_text(text, "bad-RULE.toml") so the path label is stable.
// To add a rule: drop in the two files; the first test case picks them up.
#include <limber/adapters/ProfileLoader.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <stdlib.h>
#include <sys/stat.h>

using namespace limber;
using namespace limber::adapters;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const fs::path data_dir{LIMBER_TEST_DATA};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/** Loads tests/data/NAME by its text, labelled NAME in messages. */
LoadResult load_data(const std::string& name) { return load_profile_text(read_file(data_dir / name), name); }

/** Loads a profile that must be valid, failing with its report otherwise. */
core::Profile load_good(std::string_view text, const std::string& label = "good.toml") {
    LoadResult result = load_profile_text(text, label);
    INFO(result.report());
    REQUIRE(result.errors.empty());
    REQUIRE(result.profile.has_value());
    return *result.profile;
}

const core::Reminder& reminder(const core::Profile& p, std::string_view name) {
    const core::Reminder* r = p.find(name);
    INFO("reminder " << name);
    REQUIRE(r != nullptr);
    return *r;
}

std::vector<std::string> bad_profiles() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(data_dir)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("bad-", 0) == 0 && entry.path().extension() == ".toml") names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::uint8_t day_bits(std::initializer_list<int> days) {
    std::uint8_t bits = 0;
    for (int d : days) bits = static_cast<std::uint8_t>(bits | (1u << d));
    return bits;
}

/** A fake environment and file system for locate_profile. */
struct FakeSystem {
    std::map<std::string, std::string> env;
    std::set<std::string> files;
    std::vector<std::string> probed;  ///< every path exists() was asked about, in order

    ProfileSource locate(const std::optional<std::string>& cli = std::nullopt) {
        return locate_profile(
            cli,
            [this](const char* name) -> const char* {
                auto it = env.find(name);
                return it == env.end() ? nullptr : it->second.c_str();
            },
            [this](const std::string& path) {
                probed.push_back(path);
                return files.count(path) != 0;
            });
    }
};

}  // namespace

// ---------------------------------------------------------------------------
// Bad profiles: one per rule, each with its exact report.

TEST_CASE("every bad profile gives exactly its expected report and no profile", "[loader][bad]") {
    const auto names = bad_profiles();
    // The rules listed in the issue; a missing file must not pass silently.
    for (const char* rule : {"bad-syntax.toml",
                             "bad-unknown-key-top.toml",
                             "bad-unknown-key-general.toml",
                             "bad-unknown-key-reminder.toml",
                             "bad-unknown-key-no-match.toml",
                             "bad-type-string-for-bool.toml",
                             "bad-type-integer-for-duration.toml",
                             "bad-type-string-for-array.toml",
                             "bad-type-array-for-string.toml",
                             "bad-type-reminder-not-table.toml",
                             "bad-duration-bare-number.toml",
                             "bad-duration-integer.toml",
                             "bad-duration-unit.toml",
                             "bad-duration-empty.toml",
                             "bad-every-below-1s.toml",
                             "bad-duration-not-below-every.toml",
                             "bad-kind.toml",
                             "bad-urgency.toml",
                             "bad-day.toml",
                             "bad-hours-impossible.toml",
                             "bad-hours-not-a-span.toml",
                             "bad-hours-minute.toml",
                             "bad-hours-empty.toml",
                             "bad-name.toml",
                             "bad-missing-every.toml",
                             "bad-goal-not-hydration.toml",
                             "bad-amount.toml",
                             "bad-glass-zero.toml",
                             "bad-keep-history.toml",
                             "bad-max-snoozes.toml",
                             "bad-hooks.toml",
                             "bad-many.toml",
                             "bad-syntax-missing-quote.toml",
                             "bad-syntax-yes.toml",
                             "bad-syntax-unquoted-duration.toml",
                             "bad-control-characters.toml",
                             "bad-hook-empty-program.toml"}) {
        INFO(rule);
        CHECK(std::find(names.begin(), names.end(), rule) != names.end());
    }
    for (const auto& name : names) {
        DYNAMIC_SECTION(name) {
            const fs::path expected_path = data_dir / (name.substr(0, name.size() - 5) + ".expected");
            INFO("expected report in " << expected_path);
            REQUIRE(fs::exists(expected_path));
            const std::string expected = read_file(expected_path);
            REQUIRE_FALSE(expected.empty());

            const LoadResult result = load_data(name);
            CHECK(result.report() == expected);
            CHECK_FALSE(result.errors.empty());
            CHECK_FALSE(result.profile.has_value());
            CHECK(result.path == name);
        }
    }
}

TEST_CASE("a profile with many errors reports every one in a single pass, in line order", "[loader][bad]") {
    const LoadResult result = load_data("bad-many.toml");
    CHECK_FALSE(result.profile.has_value());
    // One error per mistake planted in the file, none lost, none doubled.
    CHECK(result.errors.size() == 16);
    const std::string report = result.report();
    std::istringstream lines(report);
    std::string line;
    int previous_line = 0, count = 0;
    while (std::getline(lines, line)) {
        INFO(line);
        REQUIRE(line.rfind("bad-many.toml:", 0) == 0);
        const int at = std::stoi(line.substr(std::string("bad-many.toml:").size()));
        CHECK(at >= previous_line);
        previous_line = at;
        ++count;
    }
    CHECK(count == 16);
}

TEST_CASE("a bad profile read from a file reports the same errors under its path", "[loader][bad]") {
    const fs::path path = data_dir / "bad-kind.toml";
    const LoadResult from_file = load_profile_file(path.string());
    const LoadResult from_text = load_data("bad-kind.toml");
    CHECK_FALSE(from_file.profile.has_value());
    CHECK(from_file.path == path.string());
    REQUIRE(from_file.errors.size() == from_text.errors.size());
    std::string expected = read_file(data_dir / "bad-kind.expected");
    expected.replace(0, std::string("bad-kind.toml").size(), path.string());
    CHECK(from_file.report() == expected);
}

TEST_CASE("a fractional duration is not reported as missing its unit", "[loader][bad][duration]") {
    // "1.5h" has a unit; what is wrong is the fraction. The message must not send
    // the user looking for a unit that is already there.
    const LoadResult result = load_profile_text("[reminders.posture]\nevery = \"1.5h\"\n", "frac.toml");
    CHECK_FALSE(result.profile.has_value());
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].line == 2);
    CHECK(result.errors[0].column == 9);
    const std::string& message = result.errors[0].message;
    INFO(message);
    CHECK(message.find("\"1.5h\"") != std::string::npos);
    CHECK(message.find("without a unit") == std::string::npos);
    CHECK(message.find("1h30m") != std::string::npos);  // the way to write it
}

TEST_CASE("an unreadable profile is one error at 1:1 saying it cannot be read", "[loader][file]") {
    SECTION("a missing file") {
        const std::string path = (data_dir / "no-such-profile.toml").string();
        const LoadResult result = load_profile_file(path);
        CHECK_FALSE(result.profile.has_value());
        CHECK(result.path == path);
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].line == 1);
        CHECK(result.errors[0].column == 1);
        CHECK_THAT(result.errors[0].message,
                   Catch::Contains("cannot read the profile") && Catch::Contains("No such file or directory"));
        CHECK(result.report().rfind(path + ":1:1: error: cannot read the profile", 0) == 0);
    }
}

namespace {

/** A scratch directory of this test run, removed at the end. */
struct ScratchDir {
    fs::path path;
    ScratchDir() {
        std::string name = (fs::temp_directory_path() / "limber-loader-XXXXXX").string();
        REQUIRE(::mkdtemp(name.data()) != nullptr);
        path = name;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

/** Loads `path`, which must be refused with exactly one error at 1:1 that says `what`. */
void check_refused_file(const std::string& path, const std::string& what) {
    const LoadResult result = load_profile_file(path);
    INFO(result.report());
    CHECK_FALSE(result.profile.has_value());
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].line == 1);
    CHECK(result.errors[0].column == 1);
    CHECK(result.errors[0].message == what);
    CHECK(result.report() == path + ":1:1: error: " + what + "\n");
}

}  // namespace

TEST_CASE("only a regular file is read as a profile, at once, whatever else is at the path", "[loader][file]") {
    // Without O_NONBLOCK and fstat of the opened file, the FIFO hangs this test for good and
    // /dev/zero reads until memory runs out.
    ScratchDir scratch;
    SECTION("a FIFO with no writer") {
        const std::string path = (scratch.path / "profile.toml").string();
        REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
        check_refused_file(path, "not a regular file (a FIFO); a profile must be a file");
    }
    SECTION("an endless device") {
        check_refused_file("/dev/zero", "not a regular file (a character device); a profile must be a file");
    }
    SECTION("a directory") {
        // Opening a directory succeeds on Linux: it must not pass as an empty, valid profile.
        check_refused_file(scratch.path.string(), "not a regular file (a directory); a profile must be a file");
    }
    SECTION("a symbolic link to a FIFO") {
        const fs::path fifo = scratch.path / "fifo";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        fs::create_symlink(fifo, scratch.path / "link.toml");
        check_refused_file((scratch.path / "link.toml").string(),
                           "not a regular file (a FIFO); a profile must be a file");
    }
}

TEST_CASE("a profile file larger than 1 MiB is refused without parsing it", "[loader][file]") {
    ScratchDir scratch;
    const std::string too_big = "larger than 1 MiB; a profile must be at most 1048576 bytes";
    // Comments only: valid TOML of any length, so only the cap can refuse it.
    auto write = [&](const std::string& name, std::size_t size) {
        const fs::path path = scratch.path / name;
        std::ofstream out(path, std::ios::binary);
        std::string line(79, '#');
        line += '\n';
        std::string text;
        while (text.size() + line.size() <= size) text += line;
        text += std::string(size - text.size(), '\n');
        out << text;
        REQUIRE(out.good());
        return path.string();
    };
    SECTION("one byte over") { check_refused_file(write("big.toml", max_profile_bytes + 1), too_big); }
    SECTION("a sparse file of a gigabyte") {
        const fs::path path = scratch.path / "sparse.toml";
        { std::ofstream out(path); }
        fs::resize_file(path, 1ULL << 30);
        check_refused_file(path.string(), too_big);
    }
    SECTION("exactly 1 MiB is read and valid") {
        const std::string path = write("full.toml", max_profile_bytes);
        REQUIRE(fs::file_size(path) == max_profile_bytes);
        const LoadResult result = load_profile_file(path);
        INFO(result.report());
        CHECK(result.errors.empty());
        CHECK(result.profile.has_value());
    }
    SECTION("text given directly is held to the same cap") {
        const LoadResult result = load_profile_text(std::string(max_profile_bytes + 1, '\n'), "big.toml");
        REQUIRE(result.errors.size() == 1);
        CHECK_THAT(result.errors[0].message, Catch::Contains("longer than 1 MiB"));
        CHECK_FALSE(result.profile.has_value());
    }
}

namespace {

/** `open` `count` times, `middle`, then `close` `count` times. */
std::string nest(std::size_t count, std::string_view open, std::string_view middle, std::string_view close) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) text += open;
    text += middle;
    for (std::size_t i = 0; i < count; ++i) text += close;
    return text;
}

/** `part` `count` times, joined by dots. */
std::string dotted(std::size_t count, std::string_view part = "a") {
    std::string key(part);
    for (std::size_t i = 1; i < count; ++i) key += "." + std::string(part);
    return key;
}

/** Each form of nesting TOML has, `levels` deep. */
std::vector<std::pair<std::string, std::string>> nestings(std::size_t levels) {
    return {
        {"arrays", "x = " + nest(levels - 1, "[", "1", "]") + "\n"},
        {"inline tables", "x = " + nest(levels - 1, "{a = ", "1", "}") + "\n"},
        {"dotted keys", dotted(levels) + " = 1\n"},
        {"quoted dotted keys", dotted(levels, "\"a\"") + " = 1\n"},
        {"a table header", "[" + dotted(levels) + "]\n"},
        {"an array-of-tables header", "[[" + dotted(levels - 1) + "]]\n"},
        {"arrays of inline tables", "x = " + nest((levels - 1) / 2, "[{a = ", "1", "}]") + "\n"},
        {"inline tables with dotted keys", "x = " + nest((levels - 1) / 2, "{a.a = ", "1", "}") + "\n"},
        {"dotted keys under a table", "[" + dotted(levels / 2) + "]\n" + dotted(levels - levels / 2) + " = 1\n"},
        {"arrays over many lines", "x = " + nest(levels - 1, "[\n", "1", "\n]") + "\n"},
    };
}

}  // namespace

TEST_CASE("nesting deeper than the limit is refused, in every form, before the TOML parser", "[loader][bad][depth]") {
    // Without the scan, 300,000 parts of a dotted key or a table header overflow the stack inside
    // toml++ (a crash, not a failure); toml++ refuses arrays and inline tables past 256 on its own.
    // The limit counts every form alike. Texts past the size cap are refused for their size.
    for (const std::size_t levels : {std::size_t{max_profile_depth + 1}, std::size_t{5000}, std::size_t{300000}}) {
        for (const auto& [form, text] : nestings(levels)) {
            DYNAMIC_SECTION(form << ", " << levels << " levels") {
                const LoadResult result = load_profile_text(text, "deep.toml");
                INFO(result.report());
                CHECK_FALSE(result.profile.has_value());
                REQUIRE(result.errors.size() == 1);
                CHECK_THAT(result.errors[0].message,
                           Catch::StartsWith(text.size() > max_profile_bytes
                                                 ? "the profile is longer than 1 MiB"
                                                 : "tables, arrays and keys nested deeper than 32 levels; "));
                CHECK(result.report().rfind("deep.toml:", 0) == 0);
                CHECK(result.errors[0].line >= 1);
            }
        }
    }
}

TEST_CASE("nesting at the limit goes on to the TOML parser and the usual errors", "[loader][depth]") {
    for (const auto& [form, text] : nestings(max_profile_depth)) {
        DYNAMIC_SECTION(form) {
            const LoadResult result = load_profile_text(text, "deep.toml");
            INFO(result.report());
            REQUIRE_FALSE(result.errors.empty());
            CHECK_THAT(result.report(), !Catch::Contains("nested deeper"));
        }
    }
}

TEST_CASE("the nesting error points at the level past the limit", "[loader][bad][depth]") {
    SECTION("a dotted key: the part past the limit") {
        const LoadResult result = load_profile_text("[general]\n" + dotted(40) + " = 1\n", "deep.toml");
        REQUIRE(result.errors.size() == 1);
        // [general] is one level: the key's 32nd part, 2 + 31 * 2 bytes in, is the 33rd level.
        CHECK(result.errors[0].line == 2);
        CHECK(result.errors[0].column == 1 + 31 * 2);
    }
    SECTION("an array on its own line") {
        const LoadResult result = load_profile_text("# deep\nx = " + nest(40, "[", "1", "]") + "\n", "deep.toml");
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].line == 2);
        CHECK(result.errors[0].column == 5 + 31);  // x is level 1, the 32nd bracket level 33
    }
    SECTION("brackets inside strings and comments do not count") {
        const std::string text = "# " + std::string(100, '[') + "\n[reminders.posture]\nevery = \"20m\"\ntitle = \"" +
                                 std::string(100, '{') + "\"\nmessage = \'\'\'" + std::string(100, '[') + "\'\'\'\n" +
                                 "tips = [\"\"\"\"" + std::string(100, '[') + "\"\"\"\"\", \"a.b.c\"]\n";
        load_good(text);
    }
}

TEST_CASE("a NUL byte anywhere is refused where it is", "[loader][bad][text]") {
    using namespace std::string_literals;
    for (const auto& [where, text, line, column] : std::vector<std::tuple<std::string, std::string, int, int>>{
             {"in a title", "[reminders.posture]\nevery = \"20m\"\ntitle = \"Sit\0up\"\n"s, 3, 13},
             {"in a comment", "# a\0b\n[reminders.posture]\nevery = \"20m\"\n"s, 1, 4},
             {"between keys", "[reminders.posture]\n\0every = \"20m\"\n"s, 2, 1}}) {
        DYNAMIC_SECTION(where) {
            const LoadResult result = load_profile_text(text, "nul.toml");
            INFO(result.report());
            CHECK_FALSE(result.profile.has_value());
            REQUIRE(result.errors.size() == 1);
            CHECK(result.errors[0].line == line);
            CHECK(result.errors[0].column == column);
            CHECK(result.errors[0].message == "a NUL byte; a profile is text, remove it");
        }
    }
}

// ---------------------------------------------------------------------------
// Good profiles.

TEST_CASE("the built-in profile is the installed default.toml and is valid", "[loader][builtin]") {
    const std::string file_text = read_file(LIMBER_DEFAULT_PROFILE);
    CHECK(builtin_profile_text() == file_text);

    const LoadResult from_file = load_profile_file(LIMBER_DEFAULT_PROFILE);
    INFO(from_file.report());
    CHECK(from_file.errors.empty());
    REQUIRE(from_file.profile.has_value());

    const core::Profile p = load_good(builtin_profile_text(), "built-in");
    CHECK(builtin_profile().reminders.size() == p.reminders.size());
    CHECK(from_file.profile->reminders.size() == p.reminders.size());

    const std::vector<std::pair<std::string, core::Kind>> required{{"posture", core::Kind::posture},
                                                                   {"stretch", core::Kind::stretch},
                                                                   {"hydration", core::Kind::hydration},
                                                                   {"movement", core::Kind::movement}};
    for (const auto& [name, kind] : required) {
        INFO(name);
        const auto& r = reminder(p, name);
        CHECK(r.kind == kind);
        CHECK(r.enabled);
        CHECK(r.every >= 1s);
        CHECK(r.duration < r.every);
        CHECK_FALSE(r.title.empty());
        CHECK_FALSE(r.message.empty());
        CHECK_FALSE(r.tips.empty());
    }
    const auto& water = reminder(p, "hydration");
    CHECK_FALSE(water.natural_break);
    CHECK(water.goal_ml == 2000);
    CHECK(water.glass_ml == 250);
    CHECK(water.urgency == core::Urgency::low);
    CHECK(reminder(p, "posture").natural_break);
    CHECK(reminder(p, "stretch").natural_break);
    CHECK(reminder(p, "movement").natural_break);

    // [general] as commented in the file.
    CHECK(p.general.snooze == 5min);
    CHECK(p.general.max_snoozes == 3);
    CHECK(p.general.idle_after == 2min);
    CHECK(p.general.merge_within == 2min);
    CHECK(p.general.respect_dnd);
    CHECK(p.general.keep_history == 365 * 24h);
    CHECK(p.general.window.always());
}

TEST_CASE("hooks are argv arrays, taken word for word, with a timeout", "[loader][good][hooks]") {
    const LoadResult result = load_data("good-hooks.toml");
    INFO(result.report());
    REQUIRE(result.profile.has_value());
    const core::Hooks& h = result.profile->hooks;
    // Nothing is split, expanded or unquoted: each string is one argument.
    CHECK(h.on_shown == std::vector<std::string>{"notify-led", "--blink", "$(touch /tmp/pwned)"});
    CHECK(h.on_answered == std::vector<std::string>{"logger", "-t", "limber"});
    CHECK(h.on_pause == std::vector<std::string>{"/usr/local/bin/dim-bar", "--pause"});
    CHECK(h.timeout == 3s);
    SECTION("no [hooks]: none, and the default timeout") {
        const LoadResult minimal = load_data("good-minimal.toml");
        REQUIRE(minimal.profile.has_value());
        CHECK(minimal.profile->hooks.on_shown.empty());
        CHECK(minimal.profile->hooks.timeout == 10s);
    }
}

TEST_CASE("the spec's example profile loads as written", "[loader][good]") {
    const LoadResult result = load_data("good-spec-example.toml");
    INFO(result.report());
    REQUIRE(result.errors.empty());
    REQUIRE(result.profile.has_value());
    const core::Profile& p = *result.profile;
    CHECK(p.origin == "good-spec-example.toml");
    CHECK(p.general.snooze == 5min);
    CHECK(p.general.max_snoozes == 3);
    CHECK(p.general.window.days == day_bits({0, 1, 2, 3, 4}));
    CHECK(p.general.window.start_minute == 8 * 60);
    CHECK(p.general.window.end_minute == 18 * 60);
    CHECK(p.hooks.on_shown == std::vector<std::string>{"notify-led", "--blink"});
    REQUIRE(p.reminders.size() == 2);
    const auto& posture = reminder(p, "posture");
    CHECK(posture.title == "Posture check");
    CHECK(posture.message == "Feet flat, shoulders loose, screen at eye level.");
    CHECK(posture.tips.size() == 2);
    CHECK(posture.urgency == core::Urgency::normal);
    CHECK(posture.is_nudge());
    CHECK(posture.window.days == day_bits({0, 1, 2, 3, 4}));
    const auto& water = reminder(p, "water");
    CHECK(water.kind == core::Kind::hydration);
    CHECK(water.every == 1h);
    CHECK(water.goal_ml == 2000);
    CHECK(water.glass_ml == 250);
}

TEST_CASE("a minimal profile needs only every; title and message come from the kind", "[loader][good]") {
    SECTION("no kind: custom") {
        const LoadResult result = load_data("good-minimal.toml");
        INFO(result.report());
        REQUIRE(result.profile.has_value());
        REQUIRE(result.profile->reminders.size() == 1);
        const auto& r = reminder(*result.profile, "break");
        const auto defaults = core::kind_defaults(core::Kind::custom);
        CHECK(r.kind == core::Kind::custom);
        CHECK(r.every == 20min);
        CHECK(r.duration == core::Duration::zero());
        CHECK(r.is_nudge());
        CHECK(r.title == defaults.title);
        CHECK(r.message == defaults.message);
        CHECK(r.tips.empty());
        CHECK(r.urgency == core::Urgency::normal);
        CHECK(r.enabled);
        CHECK(r.natural_break);
        CHECK(r.window.always());
        CHECK_FALSE(r.goal_ml.has_value());
        CHECK_FALSE(r.glass_ml.has_value());
        // [general] untouched: the model's defaults.
        CHECK(result.profile->general.snooze == core::General{}.snooze);
        CHECK(result.profile->general.max_snoozes == core::General{}.max_snoozes);
    }
    SECTION("each kind gives its own title, message and urgency") {
        for (auto name : core::kind_names) {
            INFO(name);
            const std::string text = "[reminders.r]\nkind = \"" + std::string(name) + "\"\nevery = \"1m\"\n";
            const auto p = load_good(text);
            const auto kind = *core::parse_kind(name);
            const auto& r = reminder(p, "r");
            CHECK(r.kind == kind);
            CHECK(r.title == core::kind_defaults(kind).title);
            CHECK(r.message == core::kind_defaults(kind).message);
            CHECK(r.urgency == core::default_urgency(kind));
        }
    }
}

TEST_CASE("a profile without reminders, or with all disabled, is valid", "[loader][good]") {
    SECTION("an empty text") {
        const auto p = load_good("");
        CHECK(p.reminders.empty());
    }
    SECTION("only a comment") {
        const LoadResult result = load_data("good-empty.toml");
        REQUIRE(result.profile.has_value());
        CHECK(result.errors.empty());
        CHECK(result.profile->reminders.empty());
    }
    SECTION("an empty [reminders] table") {
        const auto p = load_good("[general]\nsnooze = \"1m\"\n[reminders]\n");
        CHECK(p.reminders.empty());
        CHECK(p.general.snooze == 1min);
    }
    SECTION("every reminder disabled") {
        const LoadResult result = load_data("good-all-disabled.toml");
        INFO(result.report());
        REQUIRE(result.profile.has_value());
        CHECK(result.errors.empty());
        REQUIRE(result.profile->reminders.size() == 2);
        for (const auto& r : result.profile->reminders) CHECK_FALSE(r.enabled);
    }
}

TEST_CASE("typos that break the TOML syntax are said in the user's terms", "[loader][bad][syntax]") {
    const std::vector<std::pair<std::string, std::string>> cases{
        // A missing closing quote is reported where the string starts, whatever comes before it.
        {"a = \"x\" # it's \"quoted\"\ntitle = \"Posture check\n",
         "p.toml:2:9: error: the string starting here has no closing quote; end it with \" on the same line\n"},
        {"title = 'Posture check\n",
         "p.toml:1:9: error: the string starting here has no closing quote; end it with ' on the same line\n"},
        {"message = \"say \\\"hi\\\"",
         "p.toml:1:11: error: the string starting here has no closing quote; end it with \" on the same line\n"},
        {"tips = [\"one\", \"two]\n",
         "p.toml:1:16: error: the string starting here has no closing quote; end it with \" on the same line\n"},
        {"[general]\nmessage = \"\"\"one\ntwo\n",
         "p.toml:2:11: error: the string starting here has no closing quote; end it with \"\"\"\n"},
        {"title = \"Pos\u00e9ture\nx = 1\n",
         "p.toml:1:9: error: the string starting here has no closing quote; end it with \" on the same line\n"},
        // An unquoted word is reported where the word starts.
        {"[general]\nrespect_dnd = no\n",
         "p.toml:2:15: error: `no` is not a value; use true or false (lower case), or quote text: \"no\"\n"},
        {"[general]\nrespect_dnd = True\n",
         "p.toml:2:15: error: `True` is not a value; use true or false (lower case), or quote text: \"True\"\n"},
        {"[reminders.r]\nkind = posture # a comment\n",
         "p.toml:2:8: error: `posture` is not a value; text (names, durations, times) goes in quotes: \"posture\"\n"},
        {"[general]\nsnooze = 1h\n",
         "p.toml:2:10: error: `1h` is not a value; text (names, durations, times) goes in quotes: \"1h\"\n"},
        {"[general]\nactive_days = [mon, tue]\n",
         "p.toml:2:16: error: `mon` is not a value; text (names, durations, times) goes in quotes: \"mon\"\n"},
        // Other syntax errors keep toml++'s words, marked as TOML syntax.
        {"a = \"x\\qy\"\n", "p.toml:1:8: error: TOML syntax: unknown escape sequence '\\q' (in string)\n"},
    };
    for (const auto& [text, expected] : cases) {
        INFO(text);
        const LoadResult result = load_profile_text(text, "p.toml");
        CHECK(result.report() == expected);
        CHECK_FALSE(result.profile.has_value());
    }
}

TEST_CASE("durations in all their accepted forms", "[loader][good][duration]") {
    const std::vector<std::pair<std::string, core::Duration>> cases{{"45s", 45s},
                                                                    {"20m", 20min},
                                                                    {"1h", 1h},
                                                                    {"1h30m", 90min},
                                                                    {"1h 30m", 90min},
                                                                    {"2 days", 48h},
                                                                    {"2d", 48h},
                                                                    {"1 day", 24h},
                                                                    {"1 hour", 1h},
                                                                    {"3 hours", 3h},
                                                                    {"90min", 90min},
                                                                    {"10 sec", 10s},
                                                                    {"1s", 1s},
                                                                    {"1d2h3m4s", 26h + 3min + 4s},
                                                                    {" 20m ", 20min},
                                                                    {"1h\t15m", 75min},
                                                                    {"20 minutes", 20min},
                                                                    {"30 seconds", 30s},
                                                                    {"2 hrs", 2h},
                                                                    {"1 hr 5 mins", 65min}};
    for (const auto& [text, expected] : cases) {
        INFO("every = \"" << text << "\"");
        const auto p = load_good("[reminders.r]\nevery = \"" + text + "\"\n");
        CHECK(reminder(p, "r").every == expected);
    }
    SECTION("every other duration key takes the same forms") {
        const auto p = load_good(
            "[general]\nsnooze = \"1h 30m\"\nidle_after = \"90 sec\"\nmerge_within = \"0s\"\n"
            "keep_history = \"2 days\"\n[reminders.r]\nevery = \"2h\"\nduration = \"1h30m\"\n");
        CHECK(p.general.snooze == 90min);
        CHECK(p.general.idle_after == 90s);
        CHECK(p.general.merge_within == core::Duration::zero());
        CHECK(p.general.keep_history == 48h);
        CHECK(reminder(p, "r").duration == 90min);
    }
    SECTION("every may be as short as 1s, and duration just below it") {
        const auto p = load_good("[reminders.r]\nevery = \"2s\"\nduration = \"1s\"\n");
        CHECK(reminder(p, "r").every == 2s);
        CHECK(reminder(p, "r").duration == 1s);
    }
}

TEST_CASE("per-reminder active_days and active_hours override [general]", "[loader][good][window]") {
    const LoadResult result = load_data("good-windows.toml");
    INFO(result.report());
    REQUIRE(result.profile.has_value());
    const core::Profile& p = *result.profile;
    const std::uint8_t weekdays = day_bits({0, 1, 2, 3, 4});
    CHECK(p.general.window.days == weekdays);

    const auto& inherits = reminder(p, "inherits");
    CHECK(inherits.window.days == weekdays);
    CHECK(inherits.window.start_minute == 8 * 60);
    CHECK(inherits.window.end_minute == 18 * 60);

    const auto& weekend = reminder(p, "weekend");  // days only: hours from [general]
    CHECK(weekend.window.days == day_bits({5, 6}));
    CHECK(weekend.window.start_minute == 8 * 60);
    CHECK(weekend.window.end_minute == 18 * 60);

    const auto& night = reminder(p, "night");  // hours only: days from [general]
    CHECK(night.window.days == weekdays);
    CHECK(night.window.start_minute == 22 * 60);
    CHECK(night.window.end_minute == 6 * 60);

    const auto& both = reminder(p, "both");
    CHECK(both.window.days == day_bits({2}));
    CHECK(both.window.start_minute == 12 * 60);
    CHECK(both.window.end_minute == 24 * 60);
}

TEST_CASE("natural_break defaults to false for hydration and true for the rest", "[loader][good]") {
    const LoadResult result = load_data("good-kinds.toml");
    INFO(result.report());
    REQUIRE(result.profile.has_value());
    const core::Profile& p = *result.profile;
    CHECK(reminder(p, "posture").natural_break);
    CHECK(reminder(p, "stretch").natural_break);
    CHECK_FALSE(reminder(p, "water").natural_break);
    CHECK_FALSE(reminder(p, "walk").natural_break);  // set explicitly
    CHECK(reminder(p, "sip").natural_break);         // set explicitly
    // Hydration amounts: glass defaults to 250 ml; litres convert to millilitres.
    CHECK(reminder(p, "water").glass_ml == 250);
    CHECK_FALSE(reminder(p, "water").goal_ml.has_value());
    CHECK(reminder(p, "sip").goal_ml == 1500);
    CHECK(reminder(p, "sip").glass_ml == 200);
    CHECK_FALSE(reminder(p, "posture").glass_ml.has_value());
}

// ---------------------------------------------------------------------------
// Lookup order.

TEST_CASE("profile lookup order", "[loader][lookup]") {
    FakeSystem sys;
    sys.env = {{"HOME", "/home/ann"},
               {"XDG_CONFIG_HOME", "/home/ann/cfg"},
               {"XDG_CONFIG_DIRS", "/etc/site:/etc/xdg"},
               {"LIMBER_PROFILE", "/srv/limber.toml"}};
    sys.files = {"/home/ann/cfg/limber/profile.toml", "/home/ann/.config/limber/profile.toml",
                 "/etc/site/limber/profile.toml", "/etc/xdg/limber/profile.toml"};

    SECTION("--profile wins over everything, whether or not it exists") {
        auto source = sys.locate(std::string("/tmp/mine.toml"));
        CHECK(source.path == "/tmp/mine.toml");
        CHECK_FALSE(source.builtin());
        CHECK(sys.probed.empty());
    }
    SECTION("then $LIMBER_PROFILE, taken as given") {
        auto source = sys.locate();
        CHECK(source.path == "/srv/limber.toml");
        CHECK(sys.probed.empty());
    }
    SECTION("an empty $LIMBER_PROFILE counts as unset") {
        sys.env["LIMBER_PROFILE"] = "";
        CHECK(sys.locate().path == "/home/ann/cfg/limber/profile.toml");
    }
    SECTION("then $XDG_CONFIG_HOME/limber/profile.toml if it exists") {
        sys.env.erase("LIMBER_PROFILE");
        CHECK(sys.locate().path == "/home/ann/cfg/limber/profile.toml");
        REQUIRE_FALSE(sys.probed.empty());
        CHECK(sys.probed.front() == "/home/ann/cfg/limber/profile.toml");
    }
    SECTION("with $XDG_CONFIG_HOME set, ~/.config is not looked at") {
        sys.env.erase("LIMBER_PROFILE");
        sys.files.erase("/home/ann/cfg/limber/profile.toml");
        CHECK(sys.locate().path == "/etc/site/limber/profile.toml");
        CHECK(std::find(sys.probed.begin(), sys.probed.end(), "/home/ann/.config/limber/profile.toml") ==
              sys.probed.end());
    }
    SECTION("$HOME/.config when $XDG_CONFIG_HOME is unset or empty") {
        sys.env.erase("LIMBER_PROFILE");
        SECTION("unset") { sys.env.erase("XDG_CONFIG_HOME"); }
        SECTION("empty") { sys.env["XDG_CONFIG_HOME"] = ""; }
        CHECK(sys.locate().path == "/home/ann/.config/limber/profile.toml");
    }
    SECTION("a relative $XDG_CONFIG_HOME is ignored, as the XDG base directory spec requires") {
        sys.env.erase("LIMBER_PROFILE");
        sys.env["XDG_CONFIG_HOME"] = "cfg";
        sys.files.insert("cfg/limber/profile.toml");
        CHECK(sys.locate().path == "/home/ann/.config/limber/profile.toml");
    }
    SECTION("then each directory of $XDG_CONFIG_DIRS, in order") {
        sys.env.erase("LIMBER_PROFILE");
        sys.files.erase("/home/ann/cfg/limber/profile.toml");
        sys.env.erase("XDG_CONFIG_HOME");
        sys.files.erase("/home/ann/.config/limber/profile.toml");
        SECTION("the first that has one") { CHECK(sys.locate().path == "/etc/site/limber/profile.toml"); }
        SECTION("a later one when the first has none") {
            sys.files.erase("/etc/site/limber/profile.toml");
            CHECK(sys.locate().path == "/etc/xdg/limber/profile.toml");
            CHECK(sys.probed == std::vector<std::string>{"/home/ann/.config/limber/profile.toml",
                                                         "/etc/site/limber/profile.toml",
                                                         "/etc/xdg/limber/profile.toml"});
        }
        SECTION("empty entries are skipped") {
            sys.env["XDG_CONFIG_DIRS"] = ":/opt/a::/opt/b:";
            sys.files = {"/opt/b/limber/profile.toml"};
            CHECK(sys.locate().path == "/opt/b/limber/profile.toml");
        }
    }
    SECTION("$XDG_CONFIG_DIRS defaults to /etc/xdg") {
        sys.env = {{"HOME", "/home/ann"}};
        sys.files = {"/etc/xdg/limber/profile.toml"};
        CHECK(sys.locate().path == "/etc/xdg/limber/profile.toml");
        SECTION("also when set but empty") {
            sys.env["XDG_CONFIG_DIRS"] = "";
            CHECK(sys.locate().path == "/etc/xdg/limber/profile.toml");
        }
    }
    SECTION("else the built-in profile: an empty path") {
        sys.env.erase("LIMBER_PROFILE");
        sys.files.clear();
        auto source = sys.locate();
        CHECK(source.builtin());
        CHECK(source.path.empty());
        CHECK(sys.probed == std::vector<std::string>{"/home/ann/cfg/limber/profile.toml",
                                                     "/etc/site/limber/profile.toml", "/etc/xdg/limber/profile.toml"});
        const LoadResult loaded = load_profile(source);
        CHECK(loaded.errors.empty());
        REQUIRE(loaded.profile.has_value());
        CHECK(loaded.profile->origin == "built-in");
    }
    SECTION("with no environment at all, only /etc/xdg is probed, then the built-in one") {
        sys.env.clear();
        sys.files.clear();
        CHECK(sys.locate().builtin());
        CHECK(sys.probed == std::vector<std::string>{"/etc/xdg/limber/profile.toml"});
    }
}

TEST_CASE("load_profile reads the located file", "[loader][lookup]") {
    const std::string path = (data_dir / "good-minimal.toml").string();
    const LoadResult result = load_profile(ProfileSource{path});
    INFO(result.report());
    REQUIRE(result.profile.has_value());
    CHECK(result.path == path);
    CHECK(result.profile->origin == path);
    CHECK(result.profile->find("break") != nullptr);
}
