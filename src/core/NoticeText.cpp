#include <limber/core/NoticeText.hpp>

#include <algorithm>
#include <chrono>

namespace limber::core {

std::string spoken_length(Duration d) {
    auto secs = std::max<std::int64_t>(0, std::chrono::round<std::chrono::seconds>(d).count());
    const std::int64_t h = secs / 3600, m = secs / 60 % 60, s = secs % 60;
    std::string out;
    auto part = [&out](std::int64_t n, const char* unit) {
        if (n == 0) return;
        out += (out.empty() ? "" : " ") + std::to_string(n) + " " + unit;
    };
    part(h, "h");
    part(m, "min");
    if (h == 0) part(s, "s");  // "1 h 5 min", not "1 h 5 min 3 s": a break is not timed to the second
    return out.empty() ? "0 s" : out;
}

std::string merged_title(std::size_t count) { return std::to_string(count) + " reminders"; }

std::string merged_line(const Reminder& reminder) {
    // The title alone: three reminders' messages wrap past mako's default 300x100 px and cut the last.
    std::string line = reminder.title;
    if (!reminder.is_nudge()) line += " (" + spoken_length(reminder.duration) + " break)";
    return line;
}

std::string notice_body(const Notice& notice) {
    std::string body = notice.message;
    if (notice.names.size() == 1 && notice.length > Duration::zero())
        body += "\nA " + spoken_length(notice.length) + " break: Done starts it.";
    if (!notice.tip.empty()) body += "\n\n" + notice.tip;
    return body;
}

std::vector<CountdownStep> countdown(const std::string& title, Duration length) {
    std::vector<CountdownStep> steps;
    if (length <= Duration::zero()) return steps;
    auto left = [&](Duration at) {
        CountdownStep step;
        step.at = at;
        step.title = title;
        step.body = "Break: " + spoken_length(length - at) + " left.";
        step.percent = static_cast<int>(at * 100 / length);
        steps.push_back(std::move(step));
    };
    left(Duration::zero());
    const Duration half = length / 2;
    const Duration last_minute = length - std::chrono::minutes(1);
    // A minute left comes after halfway only in breaks of 3 minutes or more: shorter ones say halfway.
    if (half >= std::chrono::seconds(1)) left(half);
    if (length >= std::chrono::minutes(3)) left(last_minute);
    CountdownStep over;
    over.at = length;
    over.title = "Break over";
    over.body = title + ": done. Back to work, gently.";
    over.percent = 100;
    over.over = true;
    steps.push_back(std::move(over));
    return steps;
}

}  // namespace limber::core
