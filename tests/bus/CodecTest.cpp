// The bus codec (include/limber/bus/Codec.hpp) without a bus: every method's arguments and
// replies round-trip, the wire format stays what older clients read, and bad options are refused
// with the line limberctl prints.

#include <limber/bus/Codec.hpp>
#include <limber/bus/Protocol.hpp>
#include <limber/core/Checked.hpp>
#include <limber/core/Control.hpp>

#include <catch2/catch.hpp>

#include <glib.h>

#include <limits>
#include <memory>
#include <string>

using namespace limber;

namespace {

struct Unref {
    void operator()(GVariant* v) const noexcept { g_variant_unref(v); }
};
using Owned = std::unique_ptr<GVariant, Unref>;

/** Takes the floating reference an encoder returns. */
Owned own(GVariant* v) {
    REQUIRE(v != nullptr);
    return Owned(g_variant_ref_sink(v));
}

std::string type_of(const Owned& v) { return g_variant_get_type_string(v.get()); }

std::string text_of(const Owned& v) {
    gchar* s = g_variant_print(v.get(), TRUE);
    std::string out = s;
    g_free(s);
    return out;
}

/** Parses GVariant text, e.g. arguments as another client might send them. */
Owned parse(const char* type, const char* text) {
    GError* error = nullptr;
    GVariant* v = g_variant_parse(G_VARIANT_TYPE(type), text, nullptr, nullptr, &error);
    if (v == nullptr) FAIL(error->message);
    return Owned(v);  // g_variant_parse's reference is not floating: taken as it is
}

/** The refusal's line, or "" when the call did not refuse. */
template <class F>
std::string refusal(F f) {
    try {
        f();
    } catch (const core::ControlError& e) {
        CHECK(e.why == core::Refusal::invalid_argument);
        return e.what();
    }
    return "";
}

constexpr std::int64_t now_s = 1'800'000'000;
constexpr std::int64_t now_us = now_s * 1'000'000 + 250'000;

}  // namespace

TEST_CASE("Pause's options round-trip and are checked", "[bus][codec]") {
    for (const bus::PauseArgs args :
         {bus::PauseArgs{}, bus::PauseArgs{1800, std::nullopt}, bus::PauseArgs{std::nullopt, now_s + 3600}}) {
        const Owned v = own(bus::encode_pause(args));
        CHECK(type_of(v) == "(a{sv})");
        CHECK(bus::decode_pause(v.get(), now_us) == args);
    }
    CHECK(text_of(own(bus::encode_pause({60, std::nullopt}))) == "({'for': <uint64 60>},)");
    CHECK(text_of(own(bus::encode_pause({std::nullopt, 5}))) == "({'until': <int64 5>},)");

    SECTION("how long it lasts") {
        CHECK(bus::pause_length({}, now_us) == std::nullopt);
        CHECK(bus::pause_length({90, std::nullopt}, now_us) == std::chrono::seconds(90));
        // To the microsecond: "until" is a wall-clock second.
        CHECK(bus::pause_length({std::nullopt, now_s + 10}, now_us) == std::chrono::microseconds(9'750'000));
        // Arguments that did not come through decode_pause are held in range, never wrapped.
        constexpr auto huge = std::numeric_limits<std::int64_t>::max();
        CHECK(bus::pause_length({huge, std::nullopt}, now_us) == core::longest_duration);
        CHECK(bus::pause_length({-5, std::nullopt}, now_us) == std::chrono::seconds(1));
        CHECK(bus::pause_length({std::nullopt, huge}, now_us) == core::longest_duration);
        CHECK(bus::pause_length({std::nullopt, std::numeric_limits<std::int64_t>::min()}, now_us) ==
              core::Duration::zero());
        CHECK(bus::pause_length({std::nullopt, now_s - 10}, now_us) == core::Duration::zero());
    }
    SECTION("refusals") {
        auto decode = [](const char* text) {
            return [v = parse("(a{sv})", text)] { bus::decode_pause(v.get(), now_us); };
        };
        CHECK(refusal(decode("({'for': <0>},)")) == "option \"for\" must be of type t, not i");
        CHECK(refusal(decode("({'for': <uint64 0>},)")) == "\"for\" must be from 1 second to 100 years, not 0 seconds");
        CHECK(refusal(decode("({'for': <uint64 3153600001>},)")) ==
              "\"for\" must be from 1 second to 100 years, not 3153600001 seconds");
        CHECK(refusal(decode("({'for': <uint64 3153600000>},)")).empty());
        // Past what microseconds hold: "for" times 10^6 would wrap.
        CHECK(refusal(decode("({'for': <uint64 18446744073709551615>},)")) ==
              "\"for\" must be from 1 second to 100 years, not 18446744073709551615 seconds");
        CHECK(refusal(decode("({'for': <uint64 9223372036854775808>},)")) ==
              "\"for\" must be from 1 second to 100 years, not 9223372036854775808 seconds");
        CHECK(refusal(decode("({'for': <uint64 9223372036854>},)")) ==
              "\"for\" must be from 1 second to 100 years, not 9223372036854 seconds");
        CHECK(refusal(decode("({'until': <'12:00'>},)")) == "option \"until\" must be of type x, not s");
        CHECK(refusal(decode("({'until': <int64 1800000000>},)")) == "\"until\" is in the past");
        CHECK(refusal(decode("({'until': <int64 1799999000>},)")) == "\"until\" is in the past");
        CHECK(refusal(decode("({'for': <uint64 60>, 'until': <int64 1800003600>},)")) ==
              "give \"for\" or \"until\", not both");
        CHECK(refusal(decode("({'until': <int64 1800000001>},)")).empty());
        // A hundred years is the most; beyond, and where "until" times 10^6 would wrap, refused.
        CHECK(refusal(decode("({'until': <int64 4953600000>},)")).empty());
        CHECK(refusal(decode("({'until': <int64 4953600001>},)")) ==
              "\"until\" must be at most 100 years from now, not Unix time 4953600001");
        CHECK(refusal(decode("({'until': <int64 9223372036854775807>},)")) ==
              "\"until\" must be at most 100 years from now, not Unix time 9223372036854775807");
        CHECK(refusal(decode("({'until': <int64 9223372036855>},)")) ==
              "\"until\" must be at most 100 years from now, not Unix time 9223372036855");
        CHECK(refusal(decode("({'until': <int64 -9223372036854775808>},)")) == "\"until\" is in the past");
        CHECK(refusal(decode("({'until': <int64 -9223372036855>},)")) == "\"until\" is in the past");
        CHECK(refusal(decode("({'other': <true>},)")).empty());  // unknown options are ignored
    }
}

TEST_CASE("Snooze, Done and Skip round-trip", "[bus][codec]") {
    const bus::AnswerArgs snooze{"posture", 300};
    const Owned v = own(bus::encode_answer(snooze));
    CHECK(type_of(v) == "(sa{sv})");
    CHECK(bus::decode_answer(v.get(), true) == snooze);
    // Done and Skip take no "for": it is not read, not even checked.
    CHECK(bus::decode_answer(v.get(), false) == bus::AnswerArgs{"posture", std::nullopt});
    const Owned bad = parse("(sa{sv})", "('', {'for': <'5m'>})");
    CHECK(refusal([&] { bus::decode_answer(bad.get(), true); }) == "option \"for\" must be of type t, not s");
    CHECK(refusal([&] { bus::decode_answer(bad.get(), false); }).empty());
    const Owned zero = parse("(sa{sv})", "('', {'for': <uint64 0>})");
    CHECK(refusal([&] { bus::decode_answer(zero.get(), true); }) ==
          "\"for\" must be from 1 second to 100 years, not 0 seconds");
    for (const char* huge :
         {"('posture', {'for': <uint64 18446744073709551615>})", "('posture', {'for': <uint64 9223372036854775807>})",
          "('posture', {'for': <uint64 3153600001>})"}) {
        const Owned args = parse("(sa{sv})", huge);
        CHECK_THAT(refusal([&] { bus::decode_answer(args.get(), true); }),
                   Catch::StartsWith("\"for\" must be from 1 second to 100 years, not "));
    }
    const Owned longest = parse("(sa{sv})", "('posture', {'for': <uint64 3153600000>})");
    CHECK(bus::decode_answer(longest.get(), true) == bus::AnswerArgs{"posture", 3153600000});

    const std::vector<std::string> names{"water", "eyes"};
    const Owned reply = own(bus::encode_answered(names));
    CHECK(type_of(reply) == bus::reply::answered);
    CHECK(bus::decode_answered(reply.get()) == names);
    CHECK(bus::decode_answered(own(bus::encode_answered({})).get()).empty());
}

TEST_CASE("Trigger and Reload round-trip", "[bus][codec]") {
    const Owned t = own(bus::encode_trigger("eyes"));
    CHECK(type_of(t) == "(s)");
    CHECK(bus::decode_trigger(t.get()) == "eyes");
    const Owned r = own(bus::encode_reloaded("/home/a/.config/limber/profile.toml"));
    CHECK(type_of(r) == bus::reply::profile);
    CHECK(bus::decode_reloaded(r.get()) == "/home/a/.config/limber/profile.toml");
}

TEST_CASE("Schedule round-trips", "[bus][codec]") {
    for (const bus::ScheduleArgs args : {bus::ScheduleArgs{}, bus::ScheduleArgs{7200}}) {
        const Owned v = own(bus::encode_schedule(args));
        CHECK(type_of(v) == "(a{sv})");
        CHECK(bus::decode_schedule(v.get()) == args);
    }
    const Owned bad = parse("(a{sv})", "({'for': <uint64 0>},)");
    CHECK(refusal([&] { bus::decode_schedule(bad.get()); }) ==
          "\"for\" must be from 1 second to 7 days, not 0 seconds");
    // A longer look ahead is refused: Schedule stays quick and its reply small.
    const Owned week = parse("(a{sv})", "({'for': <uint64 604800>},)");
    CHECK(bus::decode_schedule(week.get()) == bus::ScheduleArgs{604800});
    for (const char* text : {"({'for': <uint64 604801>},)", "({'for': <uint64 3153600000>},)",
                             "({'for': <uint64 18446744073709551615>},)"}) {
        const Owned v = parse("(a{sv})", text);
        CHECK_THAT(refusal([&] { bus::decode_schedule(v.get()); }),
                   Catch::StartsWith("\"for\" must be from 1 second to 7 days, not "));
    }

    const std::vector<bus::Showing> showings{{"posture", now_s + 60}, {"water", now_s + 3600}};
    const Owned reply = own(bus::encode_showings(showings));
    CHECK(type_of(reply) == bus::reply::showings);
    CHECK(text_of(reply) == "([('posture', int64 1800000060), ('water', 1800003600)],)");
    CHECK(bus::decode_showings(reply.get()) == showings);
}

TEST_CASE("History round-trips as parallel arrays", "[bus][codec]") {
    const Owned args = own(bus::encode_history({20261125}));
    CHECK(text_of(args) == "({'since': <20261125>},)");
    CHECK(bus::decode_history(args.get()).since == 20261125);
    CHECK(bus::decode_history(parse("(a{sv})", "(@a{sv} {},)").get()).since == 0);
    const Owned bad = parse("(a{sv})", "({'since': <'2026-11-25'>},)");
    CHECK(refusal([&] { bus::decode_history(bad.get()); }) == "option \"since\" must be of type i, not s");

    using core::EventKind;
    const std::vector<core::DayCount> counts{{20261124, EventKind::shown, "posture", 3},
                                             {20261124, EventKind::done, "posture", 2},
                                             {20261124, EventKind::water, "", 750},
                                             {20261125, EventKind::present, "", 7200},
                                             {20261125, EventKind::skipped, "water", 1}};
    const Owned reply = own(bus::encode_counts(counts));
    CHECK(type_of(reply) == bus::reply::history);
    CHECK(text_of(reply) ==
          "(['posture', '', 'water'], [20261124, 20261124, 20261124, 20261125, 20261125], "
          "[byte 0x00, 0x01, 0x08, 0x09, 0x04], [uint32 0, 0, 1, 1, 2], [uint32 3, 2, 750, 7200, 1])");
    CHECK(bus::decode_counts(reply.get()) == counts);

    SECTION("values beyond 32 bits are clamped") {
        const Owned big = own(bus::encode_counts(
            {{20261125, EventKind::water, "", std::int64_t{1} << 40}, {20261125, EventKind::shown, "eyes", -5}}));
        const auto back = bus::decode_counts(big.get());
        REQUIRE(back.size() == 2);
        CHECK(back[0].value == 4294967295);
        CHECK(back[1].value == 0);
    }
    SECTION("kinds of a newer limberd are skipped, bad indexes too") {
        const Owned newer = parse("(asaiayauau)",
                                  "(['a'], [20261125, 20261125, 20261125], [byte 1, 10, 2], [uint32 0, 0, 7], "
                                  "[uint32 1, 1, 1])");
        CHECK(bus::decode_counts(newer.get()) == std::vector<core::DayCount>{{20261125, EventKind::done, "a", 1}});
    }
    SECTION("arrays of different lengths are malformed") {
        const Owned broken = parse("(asaiayauau)", "(['a'], [20261125], @ay [], [uint32 0], [uint32 1])");
        CHECK_THROWS_AS(bus::decode_counts(broken.get()), bus::MalformedReply);
    }
}

TEST_CASE("Drank round-trips and checks its amount", "[bus][codec]") {
    for (const bus::DrankArgs args : {bus::DrankArgs{}, bus::DrankArgs{330}}) {
        const Owned v = own(bus::encode_drank(args));
        CHECK(type_of(v) == "(a{sv})");
        CHECK(bus::decode_drank(v.get()) == args);
    }
    CHECK(text_of(own(bus::encode_drank({}))) == "(@a{sv} {},)");
    auto decode = [](const char* text) { return [v = parse("(a{sv})", text)] { bus::decode_drank(v.get()); }; };
    CHECK(refusal(decode("({'ml': <uint32 0>},)")) == "\"ml\" must be from 1 to 20000 (20l), not 0");
    CHECK(refusal(decode("({'ml': <uint32 20001>},)")) == "\"ml\" must be from 1 to 20000 (20l), not 20001");
    CHECK(refusal(decode("({'ml': <uint32 4294967295>},)")) == "\"ml\" must be from 1 to 20000 (20l), not 4294967295");
    CHECK(refusal(decode("({'ml': <int64 -1>},)")) == "option \"ml\" must be of type u, not x");
    CHECK(refusal(decode("({'ml': <uint32 20000>},)")).empty());
    CHECK(refusal(decode("({'ml': <250>},)")) == "option \"ml\" must be of type u, not i");

    const bus::Water water{250, 1250, 2000};
    const Owned reply = own(bus::encode_water(water));
    CHECK(text_of(reply) == "({'ml': <uint32 250>, 'today_ml': <uint32 1250>, 'goal_ml': <uint32 2000>},)");
    CHECK(bus::decode_water(reply.get()) == water);
}

TEST_CASE("GetStatus round-trips, keys and types as older clients read them", "[bus][codec]") {
    bus::Status status;
    status.state = "active";
    status.paused_until = 0;
    status.profile = "built-in";
    status.reminders = {{"posture", "nudge", 1800, 0, 1200, 1, true, false, true},
                        {"eyes", "break", 3600, 20, 60, 0, false, true, false}};
    status.presence = bus::Presence{{"logind", "dunst"}, false, true, false, true};
    status.water_today_ml = 500;
    status.water_goal_ml = 2000;
    const Owned reply = own(bus::encode_status(status));
    CHECK(type_of(reply) == bus::reply::status);
    CHECK(bus::decode_status(reply.get()) == status);
    CHECK(text_of(reply) ==
          "({'state': <'active'>, 'paused_until': <int64 0>, 'profile': <'built-in'>, 'reminders': "
          "<[{'name': <'posture'>, 'kind': <'nudge'>, 'every': <uint64 1800>, 'duration': <uint64 0>, "
          "'due_in': <uint64 1200>, 'snoozes': <uint32 1>, 'enabled': <true>, 'on_screen': <false>, "
          "'running': <true>}, {'name': <'eyes'>, 'kind': <'break'>, 'every': <uint64 3600>, "
          "'duration': <uint64 20>, 'due_in': <uint64 60>, 'snoozes': <uint32 0>, 'enabled': <false>, "
          "'on_screen': <true>, 'running': <false>}]>, 'presence': <{'sources': <['logind', 'dunst']>, "
          "'idle': <false>, 'locked': <true>, 'asleep': <false>, 'dnd': <true>}>, 'water_today_ml': "
          "<uint32 500>, 'water_goal_ml': <uint32 2000>},)");

    SECTION("an older limberd's status: no presence, no running, other integer types") {
        const Owned old = parse("(a{sv})",
                                "({'state': <'paused'>, 'paused_until': <int32 7>, 'reminders': "
                                "<[{'name': <'a'>, 'every': <uint32 60>}]>},)");
        const bus::Status s = bus::decode_status(old.get());
        CHECK(s.state == "paused");
        CHECK(s.paused_until == 7);
        CHECK_FALSE(s.presence);
        REQUIRE(s.reminders.size() == 1);
        CHECK(s.reminders[0].every == 60);
        CHECK(s.reminders[0].enabled);
        CHECK(s.reminders[0].running);
        CHECK_FALSE(s.reminders[0].on_screen);
    }
    SECTION("a reply of another type is malformed") {
        const Owned other = parse("(s)", "('active',)");
        CHECK_THROWS_AS(bus::decode_status(other.get()), bus::MalformedReply);
    }
}

TEST_CASE("signals and properties", "[bus][codec]") {
    CHECK(text_of(own(bus::encode_shown({"posture", "eyes"}, "Stand up"))) == "(['posture', 'eyes'], 'Stand up')");
    CHECK(text_of(own(bus::encode_answered_signal("posture", "done"))) == "('posture', 'done')");

    const bus::Properties before{"active", 0, "posture", now_s + 600};
    CHECK(text_of(own(bus::encode_property(before, bus::property::state))) == "'active'");
    CHECK(text_of(own(bus::encode_property(before, bus::property::paused_until))) == "int64 0");
    CHECK(text_of(own(bus::encode_property(before, bus::property::next_reminder))) == "'posture'");
    CHECK(text_of(own(bus::encode_property(before, bus::property::next_due))) == "int64 1800000600");
    CHECK(bus::encode_property(before, "Nope") == nullptr);

    CHECK(bus::encode_properties_changed(before, before) == nullptr);
    bus::Properties jitter = before;
    jitter.next_due += 1;  // recomputed from a running clock: not a change
    CHECK(bus::encode_properties_changed(before, jitter) == nullptr);
    const bus::Properties paused{"paused", now_s + 3600, "", 0};
    CHECK(text_of(own(bus::encode_properties_changed(before, paused))) ==
          "('org.limber.Limber1', {'State': <'paused'>, 'PausedUntil': <int64 1800003600>, 'NextReminder': <''>, "
          "'NextDue': <int64 0>}, @as [])");
}
