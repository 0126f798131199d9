#pragma once
// The names limber uses on the session bus, defined once for both binaries.

namespace limber::bus {

/** The well-known name limberd owns: one limberd per session. */
inline constexpr const char* name = "org.limber.Limber1";
/** The object path of the daemon's interface. */
inline constexpr const char* path = "/org/limber/Limber1";
/** The daemon's interface. */
inline constexpr const char* interface = "org.limber.Limber1";

}  // namespace limber::bus
