#pragma once
// The XDG base directories limber reads: one lookup for the profile (limberd,
// limberctl init) and the state and history (limberd, limberctl history).
// Header-only and standard library only, so every binary and test can use it.

#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>

namespace limber::adapters {

using Getenv = std::function<const char*(const char*)>;

/**
 * $variable if it holds an absolute path (the XDG base directory spec ignores
 * relative ones), else $HOME/home_relative; "" when HOME is unset or empty too.
 */
inline std::string xdg_base_dir(
    const char* variable, std::string_view home_relative,
    const Getenv& getenv = [](const char* name) { return std::getenv(name); }) {
    const char* dir = getenv(variable);
    if (dir != nullptr && dir[0] == '/') return dir;
    const char* home = getenv("HOME");
    if (home == nullptr || *home == '\0') return {};
    return std::string(home) + "/" + std::string(home_relative);
}

/** $XDG_STATE_HOME/limber, else ~/.local/state/limber: where state.json and history.sqlite live. */
inline std::string limber_state_dir() {
    const std::string base = xdg_base_dir("XDG_STATE_HOME", ".local/state");
    // Without HOME this is "/.local/state/limber", as it always was: writing there fails with a message naming it.
    return (base.empty() ? "/.local/state" : base) + "/limber";
}

}  // namespace limber::adapters
