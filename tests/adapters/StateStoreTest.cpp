#include <limber/adapters/Logging.hpp>
#include <limber/adapters/StateStore.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

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
