#pragma once
// The profile model: what to remind, how often, and when.

#include <limber/core/Duration.hpp>
#include <limber/core/Time.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace limber::core {

/** What a reminder is about; picks its defaults, icon and urgency. */
enum class Kind { posture, stretch, hydration, movement, eyes, breathing, custom };

/** How insistently the notification is shown. */
enum class Urgency { low, normal, critical };

inline constexpr std::array<std::string_view, 7> kind_names{"posture", "stretch",   "hydration", "movement",
                                                            "eyes",    "breathing", "custom"};
inline constexpr std::array<std::string_view, 3> urgency_names{"low", "normal", "critical"};
inline constexpr std::array<std::string_view, 7> day_names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string_view to_string(Kind k) noexcept;
std::string_view to_string(Urgency u) noexcept;
std::optional<Kind> parse_kind(std::string_view s) noexcept;
std::optional<Urgency> parse_urgency(std::string_view s) noexcept;
/** 0 = Monday … 6 = Sunday */
std::optional<int> parse_day(std::string_view s) noexcept;

/** When a reminder may run: a set of weekdays and a daily time span. */
struct ActiveWindow {
    std::uint8_t days = 0x7f;  ///< bit 0 = Monday; the day a span over midnight starts on
    int start_minute = 0;      ///< minutes after midnight
    int end_minute = 24 * 60;  ///< exclusive; below start_minute means the span crosses midnight

    /** true when local time t lies inside the window */
    bool contains(LocalTime t) const noexcept;
    /** true when the window covers every moment of the week */
    bool always() const noexcept { return days == 0x7f && start_minute == 0 && end_minute == 24 * 60; }
    /** seconds from t until contains() may change (at most a week ahead) */
    int seconds_to_next_edge(LocalTime t) const noexcept;
    /** inside at t: seconds since this stretch of the window began; nothing when outside or never closed */
    std::optional<int> seconds_since_start(LocalTime t) const noexcept;
};

/** Parses "08:00-18:00" (or "22:00-06:00", end may be "24:00"). */
Parsed<ActiveWindow> parse_hours(std::string_view text);

/** One reminder of the profile. */
struct Reminder {
    std::string name;  ///< the table key, [a-z0-9_-]+
    Kind kind = Kind::custom;
    Duration every{};
    Duration duration{};  ///< 0 = a nudge; more = a break of that length
    std::string title;
    std::string message;
    std::vector<std::string> tips;
    Urgency urgency = Urgency::normal;
    bool enabled = true;
    bool natural_break = true;
    ActiveWindow window;
    std::optional<int> goal_ml;   ///< hydration: daily goal
    std::optional<int> glass_ml;  ///< hydration: what Done counts

    bool is_nudge() const noexcept { return duration == Duration::zero(); }
};

/** Settings that apply to every reminder. */
struct General {
    Duration snooze = std::chrono::minutes(5);
    int max_snoozes = 3;  ///< 0 = no limit
    Duration idle_after = std::chrono::minutes(2);
    Duration merge_within = std::chrono::minutes(2);
    bool respect_dnd = true;
    Duration keep_history = std::chrono::hours(24 * 365);
    ActiveWindow window;
};

/** Commands run on events; each is an argv, never a shell string. */
struct Hooks {
    std::vector<std::string> on_shown;
    std::vector<std::string> on_answered;
    std::vector<std::string> on_pause;
    Duration timeout = std::chrono::seconds(10);  ///< a hook still running then is killed
};

/** Profile::origin of the profile built into limberd (every other origin is a file's path). */
inline constexpr std::string_view builtin_origin = "built-in";

/** A whole, validated profile. */
struct Profile {
    General general;
    Hooks hooks;
    std::vector<Reminder> reminders;
    std::string origin;  ///< the file it came from, or builtin_origin

    bool builtin() const noexcept { return origin == builtin_origin; }

    const Reminder* find(std::string_view name) const noexcept;
};

/** What water is counted in: the profile's first hydration reminder's glass and goal. */
struct WaterPlan {
    int glass_ml = 250;    ///< what Done on it and a bare `limberctl drank` count (250ml without one)
    int goal_ml = 0;       ///< daily goal; 0 = none set
    std::string reminder;  ///< that reminder, or empty
};
WaterPlan water_plan(const Profile& profile);

/** Default title and message for reminders that set none. */
struct KindText {
    std::string_view title;
    std::string_view message;
};
KindText kind_defaults(Kind k) noexcept;

/** Default urgency of a kind, when the profile sets none. */
Urgency default_urgency(Kind k) noexcept;

/** true for a valid reminder name: [a-z0-9_-]+ */
bool valid_reminder_name(std::string_view name) noexcept;

/** The closest candidate within a small edit distance, for "did you mean". */
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace limber::core
