// libFuzzer target: any bytes through the TOML loader and every validation rule.
#include <limber/adapters/ProfileLoader.hpp>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto result = limber::adapters::load_profile_text(text, "fuzz.toml");
    // Exactly one of: a profile, or at least one error with a sane position.
    if (result.profile.has_value() == !result.errors.empty()) std::abort();
    for (const auto& d : result.errors)
        if (d.line < 1 || d.column < 1 || d.message.empty()) std::abort();
    // A window as parse_hours promises: minutes of the day, start != end, some day on.
    auto sane = [](const limber::core::ActiveWindow& w) {
        return w.days != 0 && w.days <= 0x7f && w.start_minute >= 0 && w.start_minute < 24 * 60 && w.end_minute >= 0 &&
               w.end_minute <= 24 * 60 && w.start_minute != w.end_minute;
    };
    if (result.profile) {
        const auto& g = result.profile->general;
        if (!sane(g.window) || g.snooze < std::chrono::seconds(1) || g.idle_after < std::chrono::seconds(1) ||
            g.max_snoozes < 0 || g.max_snoozes > 1000)
            std::abort();
        for (const auto& r : result.profile->reminders) {
            if (r.every < std::chrono::seconds(1) || r.duration >= r.every) std::abort();
            if (!sane(r.window)) std::abort();
            for (const auto& ml : {r.goal_ml, r.glass_ml})
                if (ml && (*ml < 1 || *ml > 20000)) std::abort();
        }
    }
    (void)result.report();
    return 0;
}
