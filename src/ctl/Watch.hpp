#pragma once
// `limberctl watch`: one line now, then one on every change, for status bars
// (Waybar's exec in continuous mode, polybar's tail = true, i3blocks' persist).
// It follows limberd's PropertiesChanged, Shown and Answered signals and the
// owner of its bus name, never polls; the only timer is armed for the moment
// the displayed count-down would change (next_change_in in Output.hpp).

#include <cstdint>
#include <string>

namespace limber::ctl {

class BusClient;

/** Runs until SIGINT, SIGTERM or a closed stdout (exit 0), or the bus itself goes (exit 1). */
int watch(BusClient& bus, const std::string& format, std::int64_t soon_s);

}  // namespace limber::ctl
