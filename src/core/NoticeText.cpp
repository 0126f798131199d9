#include <limber/core/NoticeText.hpp>
#include <limber/core/Translate.hpp>

#include <algorithm>
#include <chrono>

namespace limber::core {

std::string spoken_length(Duration d) {
    auto secs = std::max<std::int64_t>(0, std::chrono::round<std::chrono::seconds>(d).count());
    const std::int64_t h = secs / 3600, m = secs / 60 % 60, s = secs % 60;
    std::string out;
    auto part = [&out](std::int64_t n, const char* pattern) {
        if (n == 0) return;
        out += (out.empty() ? "" : " ") + format(pattern, static_cast<long long>(n));
    };
    // TRANSLATORS: a break's length in hours, as in "1 h 5 min" (abbreviated: notifications are short).
    part(h, tr("%lld h"));
    // TRANSLATORS: a break's length in minutes, as in "1 min 30 s".
    part(m, tr("%lld min"));
    // TRANSLATORS: a break's length in seconds, as in "1 min 30 s".
    if (h == 0) part(s, tr("%lld s"));  // "1 h 5 min", not "1 h 5 min 3 s": a break is not timed to the second
    return out.empty() ? format(tr("%lld s"), 0LL) : out;
}

std::string merged_title(std::size_t count) {
    const auto n = static_cast<unsigned long>(count);
    // TRANSLATORS: the title of a notification that shows several reminders at once (short: GNOME cuts it).
    return format(trn("%lu reminder", "%lu reminders", n), n);
}

std::string merged_line(const Reminder& reminder) {
    // The title alone: three reminders' messages wrap past mako's default 300x100 px and cut the last.
    std::string line = reminder.title;
    // TRANSLATORS: a reminder's title in a notification that shows several, with its break's length, as
    // in "Time to stretch (1 min 30 s break)".
    if (!reminder.is_nudge())
        line = format(tr("%s (%s break)"), line.c_str(), spoken_length(reminder.duration).c_str());
    return line;
}

std::string notice_body(const Notice& notice) {
    std::string body = notice.message;
    if (notice.names.size() == 1 && notice.length > Duration::zero())
        // TRANSLATORS: a line of a break's notification; "Done" is the button's label.
        body += "\n" + format(tr("A %s break: Done starts it."), spoken_length(notice.length).c_str());
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
        // TRANSLATORS: the count-down notification during a break, as in "Break: 2 min left." %s is a
        // length such as "1 min 30 s" (your abbreviations: if they end with a period, avoid a second one).
        step.body = format(tr("Break: %s left."), spoken_length(length - at).c_str());
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
    over.title = tr("Break over");
    // TRANSLATORS: the notification at a break's end; %s is the reminder's title.
    over.body = format(tr("%s: done. Back to work, gently."), title.c_str());
    over.percent = 100;
    over.over = true;
    steps.push_back(std::move(over));
    return steps;
}

}  // namespace limber::core
