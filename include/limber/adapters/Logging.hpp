#pragma once
// Named spdlog loggers per subsystem, to the journal under systemd and to
// standard error otherwise.

#include <spdlog/spdlog.h>

#include <optional>
#include <string_view>

namespace limber::adapters {

/** Creates the loggers "daemon", "core", "bus", "notify", "presence", "store" at `level`. */
void setup_logging(spdlog::level::level_enum level);

/** Parses trace|debug|info|warn|error|critical|off. */
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text);

}  // namespace limber::adapters
