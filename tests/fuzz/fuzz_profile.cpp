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
    if (result.profile)
        for (const auto& r : result.profile->reminders)
            if (r.every < std::chrono::seconds(1) || r.duration >= r.every) std::abort();
    (void)result.report();
    return 0;
}
