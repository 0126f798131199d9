#pragma once
// The words of a notification, built once for every server: a merged notice's
// summary, a body that says how long a break lasts, and the handful of updates
// of a break's count-down. Plain text: the notifier escapes it where a server
// takes markup.

#include <limber/core/Scheduler.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace limber::core {

/** A length as a sentence says it: "45 s", "1 min 30 s", "20 min", "1 h 5 min" (whole seconds). */
std::string spoken_length(Duration d);

/** The summary of a notice that merges `count` reminders: "2 reminders" (short: GNOME truncates). */
std::string merged_title(std::size_t count);

/** One body line of a merged notice: "TITLE: MESSAGE", with "(LENGTH break)" for a break. */
std::string merged_line(const Reminder& reminder);

/**
 * The body of `notice`: its message; for one break, a line with its length ("A 1 min 30 s break:
 * Done starts it."); then the tip after an empty line.
 */
std::string notice_body(const Notice& notice);

/** One update of a break's count-down notification. */
struct CountdownStep {
    Duration at{};      ///< after the break began
    std::string title;  ///< summary
    std::string body;
    int percent = 0;    ///< of the break gone (the `value` hint)
    bool over = false;  ///< the last one: the break is over
};

/**
 * The updates of a break of `length` called `title`, taken now: at its start, halfway, with a minute
 * left (breaks of 3 minutes or more), and "break over" at its end. At most four: nothing ticks while
 * nobody looks.
 */
std::vector<CountdownStep> countdown(const std::string& title, Duration length);

}  // namespace limber::core
