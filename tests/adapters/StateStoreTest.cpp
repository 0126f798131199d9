#include <limber/adapters/Logging.hpp>
#include <limber/adapters/StateStore.hpp>
#include <limber/core/Checked.hpp>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>

using namespace limber;
using namespace std::chrono;
namespace fs = std::filesystem;

namespace {

core::SchedulerSnapshot sample() {
    core::SchedulerSnapshot s;
    s.clocks.push_back({"posture", seconds(600), minutes(20), 1, true, 3});
    s.clocks.push_back({"water", seconds(42), hours(1), 0, false, 0});
    s.paused = true;
    s.pause_left = minutes(7);
    return s;
}

struct TempDir {
    fs::path path;
    TempDir() {
        char name[] = "/tmp/limber-state-XXXXXX";
        path = ::mkdtemp(name);
    }
    ~TempDir() { fs::remove_all(path); }
};

/** A directory of one's own (mode 0700, whatever the umask), as limber creates it. */
fs::path own_dir(const fs::path& path) {
    fs::create_directory(path);
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace);
    return path;
}

std::string contents(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/** The "store" logger's lines from here on (and nothing on standard error). */
struct StoreLog {
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(32);
    StoreLog() {
        adapters::setup_logging(spdlog::level::off);
        spdlog::drop("store");
        auto logger = std::make_shared<spdlog::logger>("store", sink);
        logger->set_level(spdlog::level::info);
        spdlog::register_logger(logger);
    }
    std::vector<std::string> warnings() const {
        std::vector<std::string> out;
        for (const auto& line : sink->last_formatted())
            if (line.find("[warning]") != std::string::npos) out.push_back(line);
        return out;
    }
};

}  // namespace

TEST_CASE("state round-trips through its file format", "[store]") {
    const auto text = adapters::StateStore::serialize(sample(), 1000, "2026-11-25");
    const auto loaded = adapters::StateStore::parse(text, 1090, "2026-11-25");
    CHECK(loaded.down_for == seconds(90));
    CHECK(loaded.same_day);
    REQUIRE(loaded.snapshot.clocks.size() == 2);
    CHECK(loaded.snapshot.clocks[0].name == "posture");
    CHECK(loaded.snapshot.clocks[0].elapsed == seconds(600));
    CHECK(loaded.snapshot.clocks[0].target == minutes(20));
    CHECK(loaded.snapshot.clocks[0].snoozes == 1);
    CHECK(loaded.snapshot.clocks[0].after_snooze);
    CHECK(loaded.snapshot.clocks[0].next_tip == 3);
    CHECK(loaded.snapshot.paused);
    CHECK(loaded.snapshot.pause_left == minutes(7));
    CHECK_FALSE(adapters::StateStore::parse(text, 1090, "2026-11-26").same_day);
    CHECK(adapters::StateStore::parse(text, 10, "2026-11-25").down_for == seconds(0));  // clock went back
    CHECK(loaded.stopped);
    const auto running = adapters::StateStore::serialize(sample(), 1000, "2026-11-25", false);
    CHECK_FALSE(adapters::StateStore::parse(running, 1090, "2026-11-25").stopped);
}

TEST_CASE("malformed state is refused", "[store]") {
    CHECK_THROWS(adapters::StateStore::parse("{", 0, "x"));
    CHECK_THROWS(adapters::StateStore::parse("{\"version\": 99}", 0, "x"));
    CHECK_THROWS(adapters::StateStore::parse("[]", 0, "x"));
    auto text = adapters::StateStore::serialize(sample(), 1000, "d");
    text.replace(text.find("600000000"), 9, "-60000000");
    CHECK_THROWS(adapters::StateStore::parse(text, 0, "d"));
}

namespace {

/** sample()'s file with the first value of `key` replaced by `value` (JSON text). */
std::string sample_with(const std::string& key, const std::string& value) {
    const std::string text = adapters::StateStore::serialize(sample(), 1000, "d");
    const std::regex field("\"" + key + "\": [^,\n]+");
    REQUIRE(std::regex_search(text, field));
    return std::regex_replace(text, field, "\"" + key + "\": " + value, std::regex_constants::format_first_only);
}

/** What parse() says about sample() with `key` set to `value`; "" when it takes it. */
std::string refusal(const std::string& key, const std::string& value) {
    try {
        adapters::StateStore::parse(sample_with(key, value), 1090, "d");
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("every number in the state file is checked; out of range refuses the file", "[store][checked]") {
    // What limberd itself writes at the ends of each range is taken.
    CHECK(refusal("elapsed_us", "0").empty());
    CHECK(refusal("elapsed_us", "3153600000000000").empty());
    CHECK(refusal("target_us", "6307200000000000").empty());
    CHECK(refusal("pause_left_us", "3153600000000000").empty());
    CHECK(refusal("pause_left_us", "null").empty());
    CHECK(refusal("snoozes", "2147483647").empty());
    CHECK(refusal("saved_at", "0").empty());
    // Huge, negative, fractional, or not a number at all: refused, naming the field and its range.
    CHECK(refusal("elapsed_us", "9223372036854775807") ==
          "\"elapsed_us\" is 9223372036854775807, out of range (0 to 3153600000000000)");
    CHECK(refusal("elapsed_us", "18446744073709551615") ==
          "\"elapsed_us\" is 18446744073709551615, out of range (0 to 3153600000000000)");
    CHECK(refusal("elapsed_us", "-1") == "\"elapsed_us\" is -1, out of range (0 to 3153600000000000)");
    CHECK(refusal("elapsed_us", "1e30") == "\"elapsed_us\" is not a whole number but 1e+30");
    CHECK(refusal("elapsed_us", "1.5") == "\"elapsed_us\" is not a whole number but 1.5");
    CHECK(refusal("elapsed_us", "\"600\"") == "\"elapsed_us\" is not a whole number but \"600\"");
    CHECK(refusal("target_us", "9223372036854775807") ==
          "\"target_us\" is 9223372036854775807, out of range (0 to 6307200000000000)");
    CHECK(refusal("target_us", "-9223372036854775808") ==
          "\"target_us\" is -9223372036854775808, out of range (0 to 6307200000000000)");
    CHECK(refusal("pause_left_us", "9223372036854775807") ==
          "\"pause_left_us\" is 9223372036854775807, out of range (0 to 3153600000000000)");
    CHECK(refusal("pause_left_us", "-5") == "\"pause_left_us\" is -5, out of range (0 to 3153600000000000)");
    CHECK(refusal("snoozes", "4294967296") == "\"snoozes\" is 4294967296, out of range (0 to 2147483647)");
    CHECK(refusal("snoozes", "-1") == "\"snoozes\" is -1, out of range (0 to 2147483647)");
    CHECK(refusal("next_tip", "-1") == "\"next_tip\" is -1, out of range (0 to 4294967295)");
    CHECK(refusal("next_tip", "1e3") == "\"next_tip\" is not a whole number but 1000.0");
    CHECK(refusal("saved_at", "-9223372036854775808") ==
          "\"saved_at\" is -9223372036854775808, out of range (0 to 253402300799)");
    CHECK(refusal("saved_at", "9223372036854775807") ==
          "\"saved_at\" is 9223372036854775807, out of range (0 to 253402300799)");
    CHECK(refusal("version", "4294967297") == "\"version\" is 4294967297, out of range (0 to 2147483647)");
    CHECK(refusal("version", "2") == "unknown state format version 2");
    CHECK_THROWS_WITH(adapters::StateStore::parse(R"({"version": 1, "saved_at": 0, "day": "d", "paused": false,
                                                     "pause_left_us": null, "clocks": {"posture": 1}})",
                                                  0, "d"),
                      "\"clocks\" is not a list");
}

TEST_CASE("the time down is held in range whatever the clocks say", "[store][checked]") {
    const auto text = adapters::StateStore::serialize(sample(), 0, "d");
    CHECK(adapters::StateStore::parse(text, std::numeric_limits<std::int64_t>::max(), "d").down_for ==
          core::longest_duration);
    CHECK(adapters::StateStore::parse(text, std::numeric_limits<std::int64_t>::min(), "d").down_for == seconds(0));
    CHECK(adapters::StateStore::parse(sample_with("saved_at", "253402300799"), 0, "d").down_for == seconds(0));
}

TEST_CASE("a state file with huge numbers is set aside like an unreadable one", "[store][checked]") {
    adapters::setup_logging(spdlog::level::off);
    TempDir dir;
    adapters::StateStore store(dir.path.string());
    std::ofstream(store.path()) << sample_with("target_us", "9223372036854775807");
    CHECK_FALSE(store.load());
    CHECK(fs::exists(store.path() + ".corrupt"));
    CHECK_FALSE(fs::exists(store.path()));
}

TEST_CASE("saving is atomic and a corrupt file is set aside", "[store]") {
    adapters::setup_logging(spdlog::level::off);
    TempDir dir;
    adapters::StateStore store((dir.path / "deep" / "limber").string());
    CHECK_FALSE(store.load());  // nothing saved yet
    store.save(sample());
    CHECK(fs::exists(store.path()));
    CHECK_FALSE(fs::exists(store.path() + ".tmp"));
    CHECK((fs::status(dir.path / "deep" / "limber").permissions() & fs::perms::others_all) == fs::perms::none);
    auto loaded = store.load();
    REQUIRE(loaded);
    CHECK(loaded->snapshot.clocks.size() == 2);

    std::ofstream(store.path()) << "{ not json";
    CHECK_FALSE(store.load());
    CHECK(fs::exists(store.path() + ".corrupt"));
    CHECK_FALSE(fs::exists(store.path()));
    store.save(sample());  // a fresh start saves again
    CHECK(store.load());
}

TEST_CASE("an unwritable state directory is reported, never thrown", "[store]") {
    adapters::setup_logging(spdlog::level::off);
    adapters::StateStore store("/proc/limber-cannot-exist");
    CHECK_NOTHROW(store.save(sample()));
    CHECK_FALSE(store.load());
}

TEST_CASE("a profile other than the person's own has a state directory of its own", "[store]") {
    TempDir dir;
    ::setenv("XDG_STATE_HOME", (dir.path / "state").c_str(), 1);
    const std::string mine = (dir.path / "state" / "limber").string();
    const fs::path own = dir.path / "config" / "profile.toml";
    const fs::path demo = dir.path / "repo" / "demo profile.toml";
    fs::create_directories(own.parent_path());
    fs::create_directories(demo.parent_path());
    std::ofstream(own) << "";
    std::ofstream(demo) << "";
    fs::create_symlink(own, dir.path / "link.toml");
    using adapters::StateStore;

    // The built-in profile, the own file and any path to that same file: the person's own.
    CHECK(StateStore::dir_for("", "") == mine);
    CHECK(StateStore::dir_for("", own.string()) == mine);
    CHECK(StateStore::dir_for(own.string(), own.string()) == mine);
    CHECK(StateStore::dir_for((dir.path / "link.toml").string(), own.string()) == mine);
    CHECK(StateStore::dir_for((dir.path / "config" / ".." / "config" / "profile.toml").string(), own.string()) == mine);

    // Anything else: profiles/NAME-HASH, the same for every way of naming the file, apart from the rest.
    const std::string apart = StateStore::dir_for(demo.string(), own.string());
    CHECK(fs::path(apart).parent_path() == fs::path(mine) / "profiles");
    CHECK(fs::path(apart).filename().string().starts_with("demo_profile-"));
    CHECK(fs::path(apart).filename().string().size() == std::string("demo_profile-").size() + 8);
    CHECK(StateStore::dir_for(demo.string(), "") == apart);
    CHECK(StateStore::dir_for((dir.path / "repo" / "." / "demo profile.toml").string(), own.string()) == apart);
    CHECK(StateStore::dir_for(own.string(), demo.string()) != apart);
    CHECK(StateStore::dir_for(own.string(), "") != mine);
    ::unsetenv("XDG_STATE_HOME");
}

TEST_CASE("a temporary state file prepared as a link is removed, never written through", "[store][hostile]") {
    StoreLog log;
    TempDir dir;
    const fs::path state = own_dir(dir.path / "limber");
    const fs::path victim = dir.path / "precious.txt";
    std::ofstream(victim) << "the person's own file\n";
    adapters::StateStore store(state.string());
    SECTION("a symbolic link") { fs::create_symlink(victim, store.path() + ".tmp"); }
    SECTION("a hard link") { fs::create_hard_link(victim, store.path() + ".tmp"); }
    SECTION("a stale temporary left by a crash") { std::ofstream(store.path() + ".tmp") << "{ half a sta"; }
    store.save(sample());
    CHECK(contents(victim) == "the person's own file\n");
    CHECK_FALSE(fs::exists(store.path() + ".tmp"));
    CHECK(log.warnings().empty());
    const auto loaded = store.load();
    REQUIRE(loaded);
    CHECK(loaded->snapshot.clocks.size() == 2);
}

TEST_CASE("a state file that is a link is not read through it", "[store][hostile]") {
    StoreLog log;
    TempDir dir;
    const fs::path state = own_dir(dir.path / "limber");
    // A valid state elsewhere: only the file in the directory itself counts.
    const fs::path elsewhere = dir.path / "elsewhere.json";
    std::ofstream(elsewhere) << adapters::StateStore::serialize(sample(), 1000, "2026-11-25");
    adapters::StateStore store(state.string());
    fs::create_symlink(elsewhere, store.path());
    CHECK_FALSE(store.load());
    REQUIRE(log.warnings().size() == 1);
    CHECK(log.warnings()[0].find("symbolic link") != std::string::npos);
    CHECK(fs::exists(elsewhere));
    store.save(sample());  // replaces the link, not the file it pointed to
    CHECK(fs::is_regular_file(fs::symlink_status(store.path())));
    CHECK(contents(elsewhere) == adapters::StateStore::serialize(sample(), 1000, "2026-11-25"));
}

TEST_CASE("a state directory that is not the person's own is refused with one line saying what to do",
          "[store][hostile]") {
    StoreLog log;
    TempDir dir;
    const fs::path state = own_dir(dir.path / "limber");
    std::ofstream(state / "state.json") << adapters::StateStore::serialize(sample(), 1000, "2026-11-25");
    std::string dir_named = state.string();
    std::string advice;
    SECTION("writable by its group") {
        fs::permissions(state, fs::perms::group_write | fs::perms::group_exec, fs::perm_options::add);
        advice = "run chmod go-w " + state.string();
    }
    SECTION("writable by anyone") {
        fs::permissions(state, fs::perms::others_write | fs::perms::others_exec, fs::perm_options::add);
        advice = "run chmod go-w " + state.string();
    }
    SECTION("owned by another user") {
        if (::geteuid() == 0) {
            REQUIRE(::chown(state.c_str(), 65534, 65534) == 0);
        } else {
            dir_named = "/usr/share";  // root's: the nearest directory of another user there is
        }
        advice = "not to you";
    }
    SECTION("a symbolic link to a directory") {
        dir_named = (dir.path / "link").string();
        fs::create_directory_symlink(state, dir_named);
        advice = "is a symbolic link";
    }
    adapters::StateStore store(dir_named);
    const auto before = fs::last_write_time(state / "state.json");
    CHECK_FALSE(store.load());  // the state there is not read
    store.save(sample());
    store.save(sample());
    CHECK(fs::last_write_time(state / "state.json") == before);
    CHECK_FALSE(fs::exists(state / "state.json.tmp"));
    CHECK_FALSE(fs::exists(state / "state.json.corrupt"));
    const auto warnings = log.warnings();
    REQUIRE(warnings.size() == 1);  // one line, not one per save
    CHECK(warnings[0].find(dir_named) != std::string::npos);
    CHECK(warnings[0].find(advice) != std::string::npos);
}

TEST_CASE("a state file that is not a regular file or is far too large is set aside", "[store][hostile]") {
    StoreLog log;
    TempDir dir;
    adapters::StateStore store((dir.path / "limber").string());
    store.save(sample());
    fs::remove(store.path());
    std::string why;
    SECTION("a FIFO (would block a plain read for good)") {
        REQUIRE(::mkfifo(store.path().c_str(), 0600) == 0);
        why = "not a regular file";
    }
    SECTION("endless") {
        std::ofstream big(store.path());
        const std::string line(1024, ' ');
        for (int i = 0; i < 2048; ++i) big << line;
        why = "larger than";
    }
    CHECK_FALSE(store.load());
    REQUIRE(log.warnings().size() == 1);
    CHECK(log.warnings()[0].find(why) != std::string::npos);
    CHECK(fs::exists(store.path() + ".corrupt"));
}
