#include <limber/adapters/Logging.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>

#include <array>
#include <cstdlib>
#include <sys/stat.h>

namespace limber::adapters {
namespace {

/** true when standard error is the journal's stream (systemd sets JOURNAL_STREAM=dev:inode). */
bool stderr_is_journal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (stream == nullptr) return false;
    struct stat st{};
    if (::fstat(2, &st) != 0) return false;
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
    return dev == st.st_dev && ino == st.st_ino;
}

}  // namespace

void setup_logging(spdlog::level::level_enum level) {
    spdlog::sink_ptr sink;
    if (stderr_is_journal()) {
        sink = std::make_shared<spdlog::sinks::systemd_sink_mt>("limberd");
    } else {
        sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        sink->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%n] [%l] %v");
    }
    for (const char* name : {"daemon", "core", "bus", "notify", "presence", "store"}) {
        spdlog::drop(name);
        auto logger = std::make_shared<spdlog::logger>(name, sink);
        logger->set_level(level);
        logger->flush_on(spdlog::level::trace);
        spdlog::register_logger(logger);
    }
    spdlog::set_default_logger(spdlog::get("daemon"));
}

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text) {
    static constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 8> levels{{
        {"trace", spdlog::level::trace},
        {"debug", spdlog::level::debug},
        {"info", spdlog::level::info},
        {"warn", spdlog::level::warn},
        {"warning", spdlog::level::warn},
        {"error", spdlog::level::err},
        {"critical", spdlog::level::critical},
        {"off", spdlog::level::off},
    }};
    for (const auto& [name, level] : levels)
        if (name == text) return level;
    return std::nullopt;
}

}  // namespace limber::adapters
