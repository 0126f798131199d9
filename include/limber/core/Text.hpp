#pragma once
// Small text helpers both binaries share: joining names, and local times in
// ISO 8601 as the spec prints them (limberctl --json, limberd's hook variables).

#include <cstdint>
#include <string>
#include <string_view>

namespace limber::core {

/** "a, b, c": the items with `separator` between them; any range of things a std::string can append. */
template <typename Range>
std::string join(const Range& items, std::string_view separator) {
    std::string out;
    bool first = true;
    for (const auto& item : items) {
        if (!first) out += separator;
        out += item;
        first = false;
    }
    return out;
}

/** "2026-11-25T14:00:00+01:00": the local civil time of `unix_seconds` with its UTC offset (whole minutes). */
std::string iso8601_local(std::int64_t unix_seconds);

}  // namespace limber::core
