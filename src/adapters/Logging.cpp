#include <limber/adapters/Logging.hpp>
#include <limber/core/Translate.hpp>

#include <limber/adapters/Guarded.hpp>
#include <limber/adapters/Systemd.hpp>

#include "GLibHelpers.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <array>
#include <cstdio>
#include <mutex>

namespace limber::adapters {
namespace {

/**
 * Standard error as the journal reads it: "<N>" syslog-level prefixes give
 * each line its priority (systemd's SyslogLevelPrefix), no time stamp (the
 * journal keeps its own).
 */
class JournalStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        static constexpr int priority[] = {7, 7, 6, 4, 3, 2, 6};  // trace … critical, off
        static_assert(std::size(priority) == spdlog::level::n_levels);
        spdlog::memory_buf_t line;
        formatter_->format(msg, line);
        std::fprintf(stderr, "<%d>%.*s", priority[msg.level], static_cast<int>(line.size()), line.data());
    }
    void flush_() override { std::fflush(stderr); }
};

}  // namespace

void setup_logging(spdlog::level::level_enum level) {
    spdlog::sink_ptr sink;
    if (stderr_is_journal()) {
        sink = std::make_shared<JournalStderrSink>();
        sink->set_pattern("[%n] %v");
    } else {
        sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        sink->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%n] [%l] %v");
    }
    for (const char* name : {"daemon", "core", "bus", "notify", "presence", "store", "hooks"}) {
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

void report_callback_failure(const char* where, const char* what) noexcept {
    try {
        auto log = spdlog::get("daemon");
        if (!log) log = spdlog::default_logger();
        // TRANSLATORS: %1$s is what limberd was doing (in English), %2$s what went wrong.
        log->error("{}",
                   core::format(core::tr("%1$s failed: %2$s; this is a bug in limberd, please report it with this "
                                         "log"),
                                where, what));
    } catch (...) {  // nothing left to tell it with; the caller carries on either way
    }
}

}  // namespace limber::adapters
