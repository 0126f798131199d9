// libFuzzer target: any argument tuple of any limberd method, through the decoders BusService
// uses (src/adapters/BusService.cpp's method table), and what they let through into a real
// core::Scheduler, as BusService hands it to the application.
//
// Input: one byte choosing the method, then the tuple's bytes in GVariant's serialized form
// for the method's in-signature. GVariant reads any bytes as a value of that type (what does not
// make sense reads as defaults); the normal form is what GDBus hands BusService. Every a{sv}
// value may be of any type.
//
// Checked: a decoder either refuses with Refusal::invalid_argument and a message, or returns
// values inside the documented ranges (core/Checked.hpp); a pause, snooze or schedule built from
// them never leaves a deadline at or before now (limberd would busy-loop) nor one past the
// longest duration, and Schedule's plan stays within most_showings.
#include <limber/bus/Codec.hpp>
#include <limber/core/Control.hpp>

#include "FuzzScheduler.hpp"

#include <glib.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>

using namespace limber;
using fuzz::check;
using fuzz::check_deadline;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t now_s = 1'800'000'000;
constexpr std::int64_t now_us = now_s * 1'000'000 + 250'000;

/** The in-signature of each method with arguments, as BusService receives it. */
struct Shape {
    const char* name;
    const char* signature;
};
constexpr Shape shapes[] = {
    {"Pause", "(a{sv})"}, {"Snooze", "(sa{sv})"},  {"Done", "(sa{sv})"},   {"Skip", "(sa{sv})"},
    {"Trigger", "(s)"},   {"Schedule", "(a{sv})"}, {"History", "(a{sv})"}, {"Drank", "(a{sv})"},
};

/** Two reminders: posture every 20 minutes, water every 10 (a week's plan: about 1,500 showings). */
core::Profile two_reminders() {
    core::Profile p = fuzz::profile({"posture", "water"});
    p.reminders[1].every = 10min;
    return p;
}

void run(std::size_t method, GVariant* args) {
    test::FakeClock clock;
    fuzz::Quiet quiet;
    core::Scheduler scheduler(clock, two_reminders(), quiet);
    const std::string which = shapes[method].name;
    if (which == "Pause") {
        const auto length = bus::pause_length(bus::decode_pause(args, now_us), now_us);
        if (length) check(*length > core::Duration::zero() && *length <= core::longest_duration);
        scheduler.pause(length);
        check_deadline(scheduler, clock);
    } else if (which == "Snooze" || which == "Done" || which == "Skip") {
        const bool snooze = which == "Snooze";
        const auto a = bus::decode_answer(args, snooze);
        if (!snooze) check(!a.for_s);
        std::optional<core::Duration> length;
        if (a.for_s) {
            check(*a.for_s >= 1 && *a.for_s <= core::longest_seconds);
            length = std::chrono::seconds(*a.for_s);
        }
        // As Application does: a name, or the next one due; never the frequent one (it is due in 1 s).
        scheduler.answer(a.reminder.empty() ? "posture" : a.reminder,
                         snooze            ? core::Answer::snooze
                         : which == "Done" ? core::Answer::done
                                           : core::Answer::skip,
                         length);
        check(quiet.shows == 0);
        check_deadline(scheduler, clock);
    } else if (which == "Trigger") {
        (void)bus::decode_trigger(args);
    } else if (which == "Schedule") {
        const auto span = bus::decode_schedule(args).for_s.value_or(bus::default_schedule_seconds);
        check(span >= 1 && span <= core::longest_schedule_seconds);
        std::size_t names = 0;
        for (const auto& show : scheduler.plan(std::chrono::seconds(span))) {
            check(show.after >= core::Duration::zero() && show.after <= std::chrono::seconds(span));
            names += show.names.size();
        }
        check(names <= core::most_showings);
    } else if (which == "History") {
        (void)bus::decode_history(args);
    } else if (which == "Drank") {
        const int ml = bus::decode_drank(args).ml;
        check(ml >= 0 && ml <= core::most_ml);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t method = data[0] % std::size(shapes);
    GBytes* bytes = g_bytes_new(data + 1, size - 1);
    GVariant* raw =
        g_variant_ref_sink(g_variant_new_from_bytes(G_VARIANT_TYPE(shapes[method].signature), bytes, FALSE));
    g_bytes_unref(bytes);
    GVariant* args = g_variant_get_normal_form(raw);  // what GDBus hands over: checked, in normal form
    g_variant_unref(raw);
    try {
        run(method, args);
    } catch (const core::ControlError& e) {
        check(e.why == core::Refusal::invalid_argument && std::strlen(e.what()) > 0);
    }
    g_variant_unref(args);
    return 0;
}
