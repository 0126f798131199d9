#include <limber/adapters/StateStore.hpp>
#include <limber/adapters/XdgDirs.hpp>
#include <limber/core/Checked.hpp>
#include <limber/core/Translate.hpp>

#include "BoundedRead.hpp"
#include "MakeDirs.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace limber::adapters {
namespace {

constexpr int format_version = 1;

// The file names in the state directory (always used through its checked descriptor).
constexpr const char* state_name = "state.json";
constexpr const char* temp_name = "state.json.tmp";
constexpr const char* corrupt_name = "state.json.corrupt";

/** The largest state file read: a few hundred bytes per reminder, so far beyond any real profile. */
constexpr std::size_t max_state_bytes = 1024 * 1024;

std::int64_t wall_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string local_day() {
    const std::time_t t = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&t, &local);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &local);
    return text;
}

std::int64_t micros(core::Duration d) { return d.count(); }

/**
 * Reads state.json in the checked directory into `text`: false with `problem` empty when there is
 * none, false with `problem` set when it cannot be read.
 */
bool read_state(int dir_fd, std::string& text, std::string& problem) {
    // Never follows a link, never waits on a FIFO or a device, never reads more than a state can be.
    const Descriptor file(::openat(dir_fd, state_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!file) {
        if (errno == ENOENT) return false;
        problem = errno == ELOOP ? core::tr("it is a symbolic link") : std::strerror(errno);
        return false;
    }
    BoundedRead read = read_bounded(file.fd, max_state_bytes);
    switch (read.outcome) {
        case BoundedRead::Outcome::read:
            text = std::move(read.text);
            return true;
        case BoundedRead::Outcome::failed:
            problem = std::strerror(read.error);
            return false;
        case BoundedRead::Outcome::not_regular:
            problem = core::tr("it is not a regular file");
            return false;
        case BoundedRead::Outcome::too_big:
            problem = core::format(core::tr("larger than %d KiB"), static_cast<int>(max_state_bytes / 1024));
            return false;
    }
    return false;
}

// What a state file may hold. Anything else was not written by limberd: the file is set aside.
constexpr std::int64_t last_saved_at = 253'402'300'799;  // 9999-12-31 23:59:59 UTC
constexpr std::int64_t most_elapsed_us = core::longest_duration.count();
// A snooze holds a target at most the longest duration past its clock (core::Scheduler::answer).
constexpr std::int64_t most_target_us = 2 * core::longest_duration.count();
constexpr std::int64_t most_next_tip = std::numeric_limits<std::uint32_t>::max();

/** The whole number at `key` of `object` when it lies from `least` to `most` (0 <= most); else throws naming it. */
std::int64_t whole(const nlohmann::json& object, const char* key, std::int64_t least, std::int64_t most) {
    const nlohmann::json& value = object.at(key);
    if (!value.is_number_integer())
        // TRANSLATORS: %1$s is a field of the state file, %2$s the value found there.
        throw std::runtime_error(
            core::format(core::tr("\"%1$s\" is not a whole number but %2$s"), key, value.dump().c_str()));
    // A number from 0 up is kept unsigned: compared unsigned, one above INT64_MAX cannot wrap.
    const bool fits = value.is_number_unsigned() ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(most)
                                                 : value.get<std::int64_t>() <= most;
    const std::int64_t n = fits ? value.get<std::int64_t>() : most;
    if (!fits || n < least)
        throw std::runtime_error(core::format(core::tr("\"%1$s\" is %2$s, out of range (%3$lld to %4$lld)"), key,
                                              value.dump().c_str(), static_cast<long long>(least),
                                              static_cast<long long>(most)));
    return n;
}

}  // namespace

StateStore::StateStore(std::string dir) : dir_(std::move(dir)), path_(dir_ + "/" + state_name) {}

std::string StateStore::default_dir() { return limber_state_dir(); }

std::string StateStore::dir_for(const std::string& profile, const std::string& own) {
    if (profile.empty()) return default_dir();  // the built-in profile: nothing else to be one's own
    std::error_code ec;
    if (!own.empty() && std::filesystem::equivalent(profile, own, ec)) return default_dir();
    const std::filesystem::path path = std::filesystem::weakly_canonical(profile, ec);
    const std::string absolute = ec ? profile : path.string();
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a: the same name on every build and run
    for (const unsigned char c : absolute) hash = (hash ^ c) * 1099511628211ULL;
    std::string name = std::filesystem::path(absolute).filename().string();
    if (name.size() > 5 && name.ends_with(".toml")) name.resize(name.size() - 5);
    for (char& c : name)
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_' && c != '.') c = '_';
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "-%08x", static_cast<unsigned>(hash >> 32));
    return default_dir() + "/profiles/" + name + suffix;
}

std::string StateStore::serialize(const core::SchedulerSnapshot& s, std::int64_t saved_at, const std::string& day,
                                  bool stopping) {
    nlohmann::json clocks = nlohmann::json::array();
    for (const auto& c : s.clocks)
        clocks.push_back({{"name", c.name},
                          {"elapsed_us", micros(c.elapsed)},
                          {"target_us", micros(c.target)},
                          {"snoozes", c.snoozes},
                          {"after_snooze", c.after_snooze},
                          {"next_tip", c.next_tip}});
    nlohmann::json doc{{"version", format_version},
                       {"saved_at", saved_at},
                       {"day", day},
                       {"stopped", stopping},
                       {"paused", s.paused},
                       {"pause_left_us", s.pause_left ? nlohmann::json(micros(*s.pause_left)) : nlohmann::json()},
                       {"clocks", clocks}};
    return doc.dump(2) + "\n";
}

StateStore::Loaded StateStore::parse(const std::string& text, std::int64_t now, const std::string& today) {
    const nlohmann::json doc = nlohmann::json::parse(text);
    if (!doc.is_object()) throw std::runtime_error(core::tr("not a JSON object"));
    if (const auto version = whole(doc, "version", 0, std::numeric_limits<std::int32_t>::max());
        version != format_version)
        throw std::runtime_error(
            core::format(core::tr("unknown state format version %lld"), static_cast<long long>(version)));
    // Every number is checked against what limberd writes, through core's checked conversions.
    Loaded out;
    const std::int64_t saved_at = whole(doc, "saved_at", 0, last_saved_at);
    // Saved in the future: the clock went back, nothing passed. Longer ago than any span: the longest.
    out.down_for = now <= saved_at ? core::Duration::zero()
                                   : core::checked_seconds(now - saved_at).value_or(core::longest_duration);
    out.same_day = doc.at("day").get<std::string>() == today;
    out.stopped = doc.value("stopped", true);
    out.snapshot.paused = doc.at("paused").get<bool>();
    if (!doc.at("pause_left_us").is_null())
        out.snapshot.pause_left = core::Duration(whole(doc, "pause_left_us", 0, most_elapsed_us));
    const nlohmann::json& clocks = doc.at("clocks");
    if (!clocks.is_array()) throw std::runtime_error(core::tr("\"clocks\" is not a list"));
    for (const auto& c : clocks) {
        core::SchedulerSnapshot::Clock clock;
        clock.name = c.at("name").get<std::string>();
        clock.elapsed = core::Duration(whole(c, "elapsed_us", 0, most_elapsed_us));
        clock.target = core::Duration(whole(c, "target_us", 0, most_target_us));
        clock.snoozes = static_cast<int>(whole(c, "snoozes", 0, std::numeric_limits<int>::max()));
        clock.after_snooze = c.at("after_snooze").get<bool>();
        clock.next_tip = static_cast<std::size_t>(whole(c, "next_tip", 0, most_next_tip));
        out.snapshot.clocks.push_back(std::move(clock));
    }
    return out;
}

std::optional<StateStore::Loaded> StateStore::load() {
    // Only a missing file is a first start; one that cannot be read is set aside like a corrupt one,
    // with a warning, rather than silently replaced by the next save.
    std::string problem;
    const Descriptor dir(open_own_dir(dir_, problem));
    if (!dir) {
        if (errno != ENOENT) refuse(problem);  // ENOENT: nothing saved yet
        return std::nullopt;
    }
    std::string text;
    if (!read_state(dir.fd, text, problem)) {
        if (problem.empty()) return std::nullopt;  // first start
    } else {
        try {
            return parse(text, wall_now(), local_day());
        } catch (const std::exception& e) {
            problem = e.what();
        }
    }
    const std::string aside = path_ + ".corrupt";
    ::renameat(dir.fd, state_name, dir.fd, corrupt_name);
    // TRANSLATORS: %1$s is the state file, %2$s why it is unreadable, %3$s the name it was kept under.
    spdlog::get("store")->warn("{}", core::format(core::tr("the saved state %1$s is unreadable (%2$s); kept it as %3$s "
                                                           "and started afresh"),
                                                  path_.c_str(), problem.c_str(), aside.c_str()));
    return std::nullopt;
}

void StateStore::refuse(const std::string& problem) {
    // TRANSLATORS: %1$s is the state directory, %2$s what is wrong with it (a sentence of its own).
    warn_once(core::format(core::tr("not keeping state in %1$s: %2$s; reminders go on, but a restart starts the clocks "
                                    "afresh"),
                           dir_.c_str(), problem.c_str()));
}

void StateStore::warn_once(const std::string& line) {
    if (line != warned_) spdlog::get("store")->warn("{}", line);
    warned_ = line;
}

void StateStore::save(const core::SchedulerSnapshot& snapshot, bool stopping) {
    const std::string text = serialize(snapshot, wall_now(), local_day(), stopping);
    const std::string temp = path_ + ".tmp";
    auto fail = [this](const std::string& what) {
        // TRANSLATORS: %1$s is the state file, %2$s what was being done ("creating …"), %3$s the system's reason.
        warn_once(core::format(core::tr("cannot save state to %1$s (%2$s: %3$s); reminders go on, but a restart will "
                                        "start the clocks afresh"),
                               path_.c_str(), what.c_str(), std::strerror(errno)));
    };
    if (!make_dirs(dir_)) return fail(core::format(core::tr("creating %s"), dir_.c_str()));
    std::string problem;
    const Descriptor dir(open_own_dir(dir_, problem));
    if (!dir) return refuse(problem);
    // Everything below happens in the directory just checked, by name within it: a temporary left
    // behind (by a crash, or by someone else) is removed, never followed, and the new one must be
    // created afresh, so no link or file prepared there is ever written through.
    if (::unlinkat(dir.fd, temp_name, 0) != 0 && errno != ENOENT)
        return fail(core::format(core::tr("removing the old %s"), temp.c_str()));
    bool written = false;
    {
        const Descriptor file(::openat(dir.fd, temp_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!file) return fail(core::format(core::tr("creating %s"), temp.c_str()));
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(file.fd, text.data() + done, text.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        written = done == text.size() && ::fsync(file.fd) == 0;
    }
    if (!written) {
        const int error = errno;
        ::unlinkat(dir.fd, temp_name, 0);
        errno = error;
        return fail(core::format(core::tr("writing %s"), temp.c_str()));
    }
    if (::renameat(dir.fd, temp_name, dir.fd, state_name) != 0)
        return fail(core::format(core::tr("renaming %s"), temp.c_str()));
    ::fsync(dir.fd);
    if (!warned_.empty())
        spdlog::get("store")->info("{}", core::format(core::tr("state saved again to %s"), path_.c_str()));
    warned_.clear();
}

}  // namespace limber::adapters
