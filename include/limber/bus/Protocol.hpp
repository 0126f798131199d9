#pragma once
// limber's session-bus interface, defined once and compiled into both
// limberd (which exports it) and limberctl (which calls it): the names, the
// introspection XML and the signatures. The GVariant encoders and decoders of
// every method's arguments and replies are in Codec.hpp.

namespace limber::bus {

/** The well-known name limberd owns: one limberd per session. */
inline constexpr const char* name = "org.limber.Limber1";
/** The object path of the daemon's interface. */
inline constexpr const char* path = "/org/limber/Limber1";
/** The daemon's interface; the 1 is its version. */
inline constexpr const char* interface = "org.limber.Limber1";

/** Named errors; limberctl turns each into one line and exit status 1. */
namespace error {
inline constexpr const char* unknown_reminder = "org.limber.Limber1.Error.UnknownReminder";
inline constexpr const char* invalid_profile = "org.limber.Limber1.Error.InvalidProfile";
inline constexpr const char* invalid_argument = "org.limber.Limber1.Error.InvalidArgument";
inline constexpr const char* not_paused = "org.limber.Limber1.Error.NotPaused";
inline constexpr const char* snooze_limit = "org.limber.Limber1.Error.SnoozeLimit";
inline constexpr const char* nothing_on_screen = "org.limber.Limber1.Error.NothingOnScreen";
inline constexpr const char* disabled = "org.limber.Limber1.Error.Disabled";
}  // namespace error

/** The methods, as named in introspection_xml. */
namespace method {
inline constexpr const char* get_status = "GetStatus";
inline constexpr const char* pause = "Pause";
inline constexpr const char* resume = "Resume";
inline constexpr const char* snooze = "Snooze";
inline constexpr const char* done = "Done";
inline constexpr const char* skip = "Skip";
inline constexpr const char* trigger = "Trigger";
inline constexpr const char* reload = "Reload";
inline constexpr const char* schedule = "Schedule";
inline constexpr const char* history = "History";
inline constexpr const char* drank = "Drank";
}  // namespace method

/** The read-only properties. */
namespace property {
inline constexpr const char* state = "State";
inline constexpr const char* paused_until = "PausedUntil";
inline constexpr const char* next_reminder = "NextReminder";
inline constexpr const char* next_due = "NextDue";
}  // namespace property

/** The signals. */
namespace signal {
inline constexpr const char* shown = "Shown";
inline constexpr const char* answered = "Answered";
}  // namespace signal

/** The out-tuple of each method that answers something (the others answer "()"). */
namespace reply {
inline constexpr const char* status = "(a{sv})";        ///< GetStatus
inline constexpr const char* answered = "(as)";         ///< Snooze, Done, Skip
inline constexpr const char* profile = "(s)";           ///< Reload
inline constexpr const char* showings = "(a(sx))";      ///< Schedule
inline constexpr const char* history = "(asaiayauau)";  ///< History
inline constexpr const char* water = "(a{sv})";         ///< Drank
}  // namespace reply

/**
 * Times on the bus are Unix seconds (x), lengths whole seconds (t); 0 in an
 * "until" or "at" field means none. Options are a{sv} so methods can grow.
 *
 * GetStatus -> a{sv}: state s, paused_until x, profile s, reminders aa{sv}
 *   (name s, kind s, every t, duration t, due_in t, snoozes u, enabled b, on_screen b),
 *   presence a{sv} (sources as: the presence sources in use; idle b, locked b, asleep b, dnd b).
 * Pause(a{sv}): "for" t, or "until" x; neither = until Resume. Lengths ("for" here and in Snooze) are
 *   1 s to 100 years, "until" at most 100 years ahead (core/Checked.hpp); others are InvalidArgument.
 * Snooze/Done/Skip(s reminder, a{sv}) -> as: the reminders answered; "" = the one(s)
 *   on screen (Snooze: else the next due). Snooze takes option "for" t.
 * Schedule(a{sv}) -> a(sx): each showing of each reminder, in time order; option "for" t (default 8h,
 *   at most 7 days); at most 10,000 showings.
 * Reload -> s: the profile now in use; InvalidProfile carries every PATH:LINE:COL error line.
 * GetStatus also carries water_today_ml u and water_goal_ml u (0 = no goal set).
 * History(a{sv}) -> (as reminders, ai days, ay kinds, au names, au values): the history added up
 *   per day, kind and reminder, as parallel arrays, oldest day first: row i is local day days[i]
 *   (yyyymmdd), kind kinds[i] (core::EventKind's number: 0 shown, 1 done, 2 natural, 3 snoozed,
 *   4 skipped, 5 missed, 6 pause, 7 resume, 8 water, 14 dismissed, 15 ignored), reminder reminders[names[i]], and
 *   values[i] events of it (for water: ml). Kind 9 (present, reminder "") is active time: values[i]
 *   seconds at the computer that day, one row for each day on which presence was known (0 when
 *   away all that time), none for days on which it never was; clients that know no kind 9 skip
 *   it, as they skip any kind they do not know. Arrays of fixed-size basic types cross GDBus as one
 *   block; an array of structs is marshalled field by field (measured: 20-35 ms for a dense
 *   year, against 0.1 ms). Option "since" i: only days on or after this yyyymmdd.
 * Drank(a{sv}) -> a{sv}: logs water; option "ml" u (absent = one glass). Returns ml u (what was
 *   logged), today_ml u, goal_ml u.
 */
inline constexpr const char* introspection_xml = R"xml(<node>
  <interface name="org.limber.Limber1">
    <method name="GetStatus">
      <arg name="status" type="a{sv}" direction="out"/>
    </method>
    <method name="Pause">
      <arg name="options" type="a{sv}" direction="in"/>
    </method>
    <method name="Resume"/>
    <method name="Snooze">
      <arg name="reminder" type="s" direction="in"/>
      <arg name="options" type="a{sv}" direction="in"/>
      <arg name="snoozed" type="as" direction="out"/>
    </method>
    <method name="Done">
      <arg name="reminder" type="s" direction="in"/>
      <arg name="options" type="a{sv}" direction="in"/>
      <arg name="answered" type="as" direction="out"/>
    </method>
    <method name="Skip">
      <arg name="reminder" type="s" direction="in"/>
      <arg name="options" type="a{sv}" direction="in"/>
      <arg name="answered" type="as" direction="out"/>
    </method>
    <method name="Trigger">
      <arg name="reminder" type="s" direction="in"/>
    </method>
    <method name="Reload">
      <arg name="profile" type="s" direction="out"/>
    </method>
    <method name="Schedule">
      <arg name="options" type="a{sv}" direction="in"/>
      <arg name="showings" type="a(sx)" direction="out"/>
    </method>
    <method name="History">
      <arg name="options" type="a{sv}" direction="in"/>
      <arg name="reminders" type="as" direction="out"/>
      <arg name="days" type="ai" direction="out"/>
      <arg name="kinds" type="ay" direction="out"/>
      <arg name="names" type="au" direction="out"/>
      <arg name="values" type="au" direction="out"/>
    </method>
    <method name="Drank">
      <arg name="options" type="a{sv}" direction="in"/>
      <arg name="water" type="a{sv}" direction="out"/>
    </method>
    <property name="State" type="s" access="read"/>
    <property name="PausedUntil" type="x" access="read"/>
    <property name="NextReminder" type="s" access="read"/>
    <property name="NextDue" type="x" access="read"/>
    <signal name="Shown">
      <arg name="reminders" type="as"/>
      <arg name="title" type="s"/>
    </signal>
    <signal name="Answered">
      <arg name="reminder" type="s"/>
      <arg name="outcome" type="s"/>
    </signal>
  </interface>
</node>
)xml";

}  // namespace limber::bus
