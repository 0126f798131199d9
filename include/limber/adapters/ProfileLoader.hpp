#pragma once
// Reads a TOML profile (toml++) into the core's Profile, reporting every
// problem with its line and column.

#include <limber/core/Diagnostic.hpp>
#include <limber/core/Profile.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace limber::adapters {

/** The outcome of loading: a profile, or every error found. */
struct LoadResult {
    std::optional<core::Profile> profile;
    std::vector<core::Diagnostic> errors;
    std::string path;  ///< as shown in messages

    /** every error as "PATH:LINE:COLUMN: error: MESSAGE" lines */
    std::string report() const { return core::format_all(path, errors); }
};

/** The largest profile read or parsed: 1 MiB. */
inline constexpr std::size_t max_profile_bytes = 1024 * 1024;

/** How deep tables, arrays, inline tables and dotted keys may nest, all counted alike
 *  (reminders.NAME.tips = [...] is 4). */
inline constexpr int max_profile_depth = 32;

/** Parses and validates profile text; `path` is used in messages. Text nested deeper than
 *  max_profile_depth, longer than max_profile_bytes or holding a NUL byte is refused before
 *  the TOML parser sees it. */
LoadResult load_profile_text(std::string_view text, const std::string& path);

/** Reads and loads a file; an unreadable file is one error at 1:1. The only way a profile file is
 *  read: opened without blocking, and only a regular file of at most max_profile_bytes is read,
 *  so a FIFO, a device or a directory is refused at once. */
LoadResult load_profile_file(const std::string& path);

/** The built-in profile (config/default.toml, compiled in). */
std::string_view builtin_profile_text() noexcept;

/** Loads the built-in profile; it is valid by test. */
core::Profile builtin_profile();

/** Where the profile comes from; an empty path means the built-in one. */
struct ProfileSource {
    std::string path;
    bool builtin() const noexcept { return path.empty(); }
};

/** The spec's lookup order: --profile, $LIMBER_PROFILE, $XDG_CONFIG_HOME, $XDG_CONFIG_DIRS, built-in. */
ProfileSource locate_profile(const std::optional<std::string>& cli_path,
                             const std::function<const char*(const char*)>& getenv,
                             const std::function<bool(const std::string&)>& exists);

/** The same, with the process environment and file system. */
ProfileSource locate_profile(const std::optional<std::string>& cli_path);

/** The person's own profile: the lookup without --profile and $LIMBER_PROFILE (state and history
 *  of any other profile are kept apart: StateStore::dir_for). */
ProfileSource locate_own_profile();

/** Loads whatever locate_profile() chose. */
LoadResult load_profile(const ProfileSource& source);

}  // namespace limber::adapters
