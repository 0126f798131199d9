#include <limber/bus/Codec.hpp>

#include <limber/bus/Protocol.hpp>
#include <limber/core/Checked.hpp>
#include <limber/core/Control.hpp>

#include "../adapters/GLibHelpers.hpp"

#include <algorithm>
#include <cstdlib>

namespace limber::bus {
namespace {

using core::ControlError;
using core::Refusal;

using adapters::glib::Variant;

/** Every key of every a{sv}, written once. */
namespace key {
// Options.
constexpr const char* for_option = "for";
constexpr const char* until = "until";
constexpr const char* since = "since";
constexpr const char* ml = "ml";
// GetStatus.
constexpr const char* state = "state";
constexpr const char* paused_until = "paused_until";
constexpr const char* profile = "profile";
constexpr const char* reminders = "reminders";
constexpr const char* presence = "presence";
constexpr const char* water_today_ml = "water_today_ml";
constexpr const char* water_goal_ml = "water_goal_ml";
// GetStatus: each reminder.
constexpr const char* name = "name";
constexpr const char* kind = "kind";
constexpr const char* every = "every";
constexpr const char* duration = "duration";
constexpr const char* due_in = "due_in";
constexpr const char* snoozes = "snoozes";
constexpr const char* enabled = "enabled";
constexpr const char* on_screen = "on_screen";
constexpr const char* running = "running";
// GetStatus: presence.
constexpr const char* sources = "sources";
constexpr const char* idle = "idle";
constexpr const char* locked = "locked";
constexpr const char* asleep = "asleep";
constexpr const char* dnd = "dnd";
// Drank's answer (ml as above).
constexpr const char* today_ml = "today_ml";
constexpr const char* goal_ml = "goal_ml";
}  // namespace key

// --- Arguments (limberd's side: checked) -----------------------------------------------------

/** An option of type `type`, or nothing; present with another type is an InvalidArgument. */
Variant option(GVariant* options, const char* option_key, const GVariantType* type) {
    Variant value(g_variant_lookup_value(options, option_key, nullptr));
    if (value && !g_variant_is_of_type(value.get(), type))
        throw ControlError(Refusal::invalid_argument, std::string("option \"") + option_key + "\" must be of type " +
                                                          std::string(g_variant_type_peek_string(type), 1) + ", not " +
                                                          g_variant_get_type_string(value.get()));
    return value;
}

/**
 * A length option in whole seconds, from 1 s to `most_seconds` (checked by core::checked_seconds);
 * `limit` names that limit in the refusal.
 */
std::optional<std::int64_t> seconds_option(GVariant* options, const char* option_key,
                                           std::int64_t most_seconds = core::longest_seconds,
                                           const char* limit = "100 years") {
    Variant v = option(options, option_key, G_VARIANT_TYPE_UINT64);
    if (!v) return std::nullopt;
    const auto secs = g_variant_get_uint64(v.get());
    if (!core::checked_seconds(secs, std::chrono::seconds(1), std::chrono::seconds(most_seconds)))
        throw ControlError(Refusal::invalid_argument, "\"" + std::string(option_key) + "\" must be from 1 second to " +
                                                          limit + ", not " + std::to_string(secs) + " seconds");
    return static_cast<std::int64_t>(secs);
}

/** The a{sv} at `index` of an argument tuple. */
Variant options_at(GVariant* args, gsize index) { return Variant(g_variant_get_child_value(args, index)); }

/** a{sv} with "for" where given. */
GVariant* for_options(std::optional<std::int64_t> for_s) {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    if (for_s) g_variant_builder_add(&b, "{sv}", key::for_option, g_variant_new_uint64(static_cast<guint64>(*for_s)));
    return g_variant_builder_end(&b);
}

// --- Replies (limberctl's side: lenient) -----------------------------------------------------

/** Any integer (or boolean, or double) as a number; 0 for anything else. */
std::int64_t as_int(GVariant* v) {
    if (v == nullptr) return 0;
    switch (g_variant_classify(v)) {
        case G_VARIANT_CLASS_INT64:
            return g_variant_get_int64(v);
        case G_VARIANT_CLASS_UINT64:
            return static_cast<std::int64_t>(g_variant_get_uint64(v));
        case G_VARIANT_CLASS_INT32:
            return g_variant_get_int32(v);
        case G_VARIANT_CLASS_UINT32:
            return g_variant_get_uint32(v);
        case G_VARIANT_CLASS_INT16:
            return g_variant_get_int16(v);
        case G_VARIANT_CLASS_UINT16:
            return g_variant_get_uint16(v);
        case G_VARIANT_CLASS_BYTE:
            return g_variant_get_byte(v);
        case G_VARIANT_CLASS_BOOLEAN:
            return g_variant_get_boolean(v) ? 1 : 0;
        case G_VARIANT_CLASS_DOUBLE:
            return static_cast<std::int64_t>(g_variant_get_double(v));
        default:
            return 0;
    }
}

std::int64_t lookup_int(GVariant* dict, const char* entry) {
    Variant v(g_variant_lookup_value(dict, entry, nullptr));
    return as_int(v.get());
}

std::string lookup_string(GVariant* dict, const char* entry) {
    Variant v(g_variant_lookup_value(dict, entry, G_VARIANT_TYPE_STRING));
    return v ? g_variant_get_string(v.get(), nullptr) : "";
}

bool lookup_bool(GVariant* dict, const char* entry, bool fallback) {
    Variant v(g_variant_lookup_value(dict, entry, nullptr));
    return v ? as_int(v.get()) != 0 : fallback;
}

/** A reply of the type `type`, or MalformedReply. */
void expect(GVariant* reply, const char* type) {
    if (reply == nullptr || !g_variant_is_of_type(reply, G_VARIANT_TYPE(type)))
        throw MalformedReply(std::string("limberd sent a reply of type ") +
                             (reply != nullptr ? g_variant_get_type_string(reply) : "()") + ", not " + type);
}

GVariant* strings(const std::vector<std::string>& items) {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE_STRING_ARRAY);
    for (const auto& s : items) g_variant_builder_add(&b, "s", bus_text(s).c_str());
    return g_variant_builder_end(&b);
}

std::vector<std::string> read_strings(GVariant* list) {
    std::vector<std::string> out;
    const gsize n = g_variant_n_children(list);
    out.reserve(n);
    for (gsize i = 0; i < n; ++i) {
        Variant s(g_variant_get_child_value(list, i));
        out.emplace_back(g_variant_get_string(s.get(), nullptr));
    }
    return out;
}

void add(GVariantBuilder* dict, const char* entry, GVariant* value) {
    g_variant_builder_add(dict, "{sv}", entry, value);
}
GVariant* text(const std::string& s) { return g_variant_new_string(bus_text(s).c_str()); }
GVariant* u64(std::int64_t v) { return g_variant_new_uint64(static_cast<guint64>(v)); }
GVariant* u32(std::int64_t v) { return g_variant_new_uint32(static_cast<guint32>(v)); }

}  // namespace

std::string bus_text(std::string_view text) {
    if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) return std::string(text);
    gchar* valid = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
    std::string out(valid);
    g_free(valid);
    return out;
}

// --- Pause -------------------------------------------------------------------------------------

GVariant* encode_pause(const PauseArgs& args) {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    if (args.for_s) add(&b, key::for_option, u64(*args.for_s));
    if (args.until) add(&b, key::until, g_variant_new_int64(*args.until));
    return g_variant_new("(a{sv})", &b);
}

PauseArgs decode_pause(GVariant* args, std::int64_t now_us) {
    const Variant options = options_at(args, 0);
    PauseArgs out;
    out.for_s = seconds_option(options.get(), key::for_option);
    if (const Variant until = option(options.get(), key::until, G_VARIANT_TYPE_INT64)) {
        const std::int64_t at = g_variant_get_int64(until.get());
        if (out.for_s) throw ControlError(Refusal::invalid_argument, "give \"for\" or \"until\", not both");
        if (!core::checked_until(at, now_us, std::chrono::microseconds(1))) {
            // Either side of the range: at or before now, or further than the longest pause.
            if (at <= now_us / G_USEC_PER_SEC)
                throw ControlError(Refusal::invalid_argument, "\"until\" is in the past");
            throw ControlError(Refusal::invalid_argument,
                               "\"until\" must be at most 100 years from now, not Unix time " + std::to_string(at));
        }
        out.until = at;
    }
    return out;
}

std::optional<core::Duration> pause_length(const PauseArgs& args, std::int64_t now_us) {
    // Checked again (args may not come from decode_pause): out of range is held at its end.
    if (args.for_s) return std::chrono::seconds(std::clamp<std::int64_t>(*args.for_s, 1, core::longest_seconds));
    // To the microsecond, so that status reports exactly the second asked for.
    if (args.until) {
        if (const auto span = core::checked_until(*args.until, now_us, core::Duration::zero())) return span;
        return *args.until <= now_us / G_USEC_PER_SEC ? core::Duration::zero() : core::longest_duration;
    }
    return std::nullopt;
}

// --- Snooze, Done, Skip ------------------------------------------------------------------------

GVariant* encode_answer(const AnswerArgs& args) {
    return g_variant_new("(s@a{sv})", args.reminder.c_str(), for_options(args.for_s));
}

AnswerArgs decode_answer(GVariant* args, bool takes_for) {
    const gchar* reminder = nullptr;
    GVariant* options_ptr = nullptr;
    g_variant_get(args, "(&s@a{sv})", &reminder, &options_ptr);
    const Variant options(options_ptr);
    AnswerArgs out;
    out.reminder = reminder;
    if (takes_for) out.for_s = seconds_option(options.get(), key::for_option);
    return out;
}

GVariant* encode_answered(const std::vector<std::string>& names) { return g_variant_new("(@as)", strings(names)); }

std::vector<std::string> decode_answered(GVariant* reply) {
    expect(reply, reply::answered);
    const Variant list(g_variant_get_child_value(reply, 0));
    return read_strings(list.get());
}

// --- Trigger, Reload ---------------------------------------------------------------------------

GVariant* encode_trigger(const std::string& reminder) { return g_variant_new("(s)", reminder.c_str()); }

std::string decode_trigger(GVariant* args) {
    const gchar* reminder = nullptr;
    g_variant_get(args, "(&s)", &reminder);
    return reminder;
}

GVariant* encode_reloaded(const std::string& profile) { return g_variant_new("(s)", bus_text(profile).c_str()); }

std::string decode_reloaded(GVariant* reply) {
    expect(reply, reply::profile);
    const gchar* profile = nullptr;
    g_variant_get(reply, "(&s)", &profile);
    return profile != nullptr ? profile : "";
}

// --- Schedule ----------------------------------------------------------------------------------

GVariant* encode_schedule(const ScheduleArgs& args) { return g_variant_new("(@a{sv})", for_options(args.for_s)); }

ScheduleArgs decode_schedule(GVariant* args) {
    const Variant options = options_at(args, 0);
    return {seconds_option(options.get(), key::for_option, core::longest_schedule_seconds, "7 days")};
}

GVariant* encode_showings(const std::vector<Showing>& showings) {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE("a(sx)"));
    for (const auto& s : showings) g_variant_builder_add(&b, "(sx)", s.name.c_str(), static_cast<gint64>(s.at));
    return g_variant_new("(a(sx))", &b);
}

std::vector<Showing> decode_showings(GVariant* reply) {
    expect(reply, reply::showings);
    std::vector<Showing> out;
    const Variant list(g_variant_get_child_value(reply, 0));
    const gsize n = g_variant_n_children(list.get());
    for (gsize i = 0; i < n; ++i) {
        const gchar* reminder = nullptr;
        gint64 at = 0;
        g_variant_get_child(list.get(), i, "(&sx)", &reminder, &at);
        out.push_back({reminder != nullptr ? reminder : "", at});
    }
    return out;
}

// --- History -----------------------------------------------------------------------------------

GVariant* encode_history(const HistoryArgs& args) {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    add(&b, key::since, g_variant_new_int32(args.since));
    return g_variant_new("(a{sv})", &b);
}

HistoryArgs decode_history(GVariant* args) {
    const Variant options = options_at(args, 0);
    HistoryArgs out;
    if (const Variant v = option(options.get(), key::since, G_VARIANT_TYPE_INT32))
        out.since = g_variant_get_int32(v.get());
    return out;
}

GVariant* encode_counts(const std::vector<core::DayCount>& counts) {
    std::vector<std::string> names;
    std::vector<gint32> days;
    std::vector<guint8> kinds;
    std::vector<guint32> name_index, values;
    days.reserve(counts.size());
    kinds.reserve(counts.size());
    name_index.reserve(counts.size());
    values.reserve(counts.size());
    for (const auto& c : counts) {
        auto it = std::find(names.begin(), names.end(), c.reminder);
        if (it == names.end()) it = names.insert(names.end(), c.reminder);
        days.push_back(c.day);
        kinds.push_back(static_cast<guint8>(c.kind));
        name_index.push_back(static_cast<guint32>(it - names.begin()));
        values.push_back(static_cast<guint32>(std::clamp<std::int64_t>(c.value, 0, G_MAXUINT32)));
    }
    // Arrays of fixed-size basic types cross GDBus as one block (Protocol.hpp).
    auto fixed = [](const GVariantType* type, const void* data, std::size_t n, std::size_t size) {
        return g_variant_new_fixed_array(type, data, n, size);
    };
    return g_variant_new("(@as@ai@ay@au@au)", strings(names),
                         fixed(G_VARIANT_TYPE_INT32, days.data(), days.size(), sizeof(gint32)),
                         fixed(G_VARIANT_TYPE_BYTE, kinds.data(), kinds.size(), 1),
                         fixed(G_VARIANT_TYPE_UINT32, name_index.data(), name_index.size(), sizeof(guint32)),
                         fixed(G_VARIANT_TYPE_UINT32, values.data(), values.size(), sizeof(guint32)));
}

std::vector<core::DayCount> decode_counts(GVariant* reply) {
    expect(reply, reply::history);
    const Variant names_list(g_variant_get_child_value(reply, 0));
    const std::vector<std::string> names = read_strings(names_list.get());
    const Variant days_v(g_variant_get_child_value(reply, 1));
    const Variant kinds_v(g_variant_get_child_value(reply, 2));
    const Variant names_v(g_variant_get_child_value(reply, 3));
    const Variant values_v(g_variant_get_child_value(reply, 4));
    gsize n = 0, n_kinds = 0, n_names = 0, n_values = 0;
    const auto* days = static_cast<const gint32*>(g_variant_get_fixed_array(days_v.get(), &n, sizeof(gint32)));
    const auto* kinds = static_cast<const guint8*>(g_variant_get_fixed_array(kinds_v.get(), &n_kinds, 1));
    const auto* index =
        static_cast<const guint32*>(g_variant_get_fixed_array(names_v.get(), &n_names, sizeof(guint32)));
    const auto* values =
        static_cast<const guint32*>(g_variant_get_fixed_array(values_v.get(), &n_values, sizeof(guint32)));
    if (n_kinds != n || n_names != n || n_values != n)
        throw MalformedReply("limberd sent a malformed history (arrays of different lengths)");
    std::vector<core::DayCount> out;
    out.reserve(n);
    for (gsize i = 0; i < n; ++i) {
        // Counts, and the seconds present per day (kind present); larger kinds are from a newer limberd.
        const auto kind = static_cast<core::EventKind>(kinds[i]);
        const bool known = kinds[i] <= static_cast<guint8>(core::last_event_kind) &&
                           (!core::is_presence(kind) || kind == core::EventKind::present);
        if (!known || index[i] >= names.size()) continue;
        out.push_back({days[i], kind, names[index[i]], values[i]});
    }
    return out;
}

// --- Drank -------------------------------------------------------------------------------------

GVariant* encode_drank(const DrankArgs& args) {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    if (args.ml > 0) add(&b, key::ml, u32(args.ml));
    return g_variant_new("(a{sv})", &b);
}

DrankArgs decode_drank(GVariant* args) {
    const Variant options = options_at(args, 0);
    DrankArgs out;
    if (const Variant v = option(options.get(), key::ml, G_VARIANT_TYPE_UINT32)) {
        const auto given = g_variant_get_uint32(v.get());
        if (given == 0 || given > static_cast<std::uint32_t>(core::most_ml))
            throw ControlError(Refusal::invalid_argument,
                               "\"ml\" must be from 1 to 20000 (20l), not " + std::to_string(given));
        out.ml = static_cast<int>(given);
    }
    return out;
}

GVariant* encode_water(const Water& water) {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    add(&b, key::ml, u32(water.ml));
    add(&b, key::today_ml, u32(water.today_ml));
    add(&b, key::goal_ml, u32(water.goal_ml));
    return g_variant_new("(a{sv})", &b);
}

Water decode_water(GVariant* reply) {
    expect(reply, reply::water);
    const Variant dict(g_variant_get_child_value(reply, 0));
    return {lookup_int(dict.get(), key::ml), lookup_int(dict.get(), key::today_ml),
            lookup_int(dict.get(), key::goal_ml)};
}

// --- GetStatus ---------------------------------------------------------------------------------

GVariant* encode_status(const Status& s) {
    GVariantBuilder reminders;
    g_variant_builder_init(&reminders, G_VARIANT_TYPE("aa{sv}"));
    for (const auto& r : s.reminders) {
        GVariantBuilder item;
        g_variant_builder_init(&item, G_VARIANT_TYPE_VARDICT);
        add(&item, key::name, text(r.name));
        add(&item, key::kind, text(r.kind));
        add(&item, key::every, u64(r.every));
        add(&item, key::duration, u64(r.duration));
        add(&item, key::due_in, u64(r.due_in));
        add(&item, key::snoozes, u32(r.snoozes));
        add(&item, key::enabled, g_variant_new_boolean(r.enabled));
        add(&item, key::on_screen, g_variant_new_boolean(r.on_screen));
        add(&item, key::running, g_variant_new_boolean(r.running));
        g_variant_builder_add_value(&reminders, g_variant_builder_end(&item));
    }
    GVariantBuilder status;
    g_variant_builder_init(&status, G_VARIANT_TYPE_VARDICT);
    add(&status, key::state, text(s.state));
    add(&status, key::paused_until, g_variant_new_int64(s.paused_until));
    add(&status, key::profile, text(s.profile));
    add(&status, key::reminders, g_variant_builder_end(&reminders));
    if (s.presence) {
        GVariantBuilder presence;
        g_variant_builder_init(&presence, G_VARIANT_TYPE_VARDICT);
        add(&presence, key::sources, strings(s.presence->sources));
        add(&presence, key::idle, g_variant_new_boolean(s.presence->idle));
        add(&presence, key::locked, g_variant_new_boolean(s.presence->locked));
        add(&presence, key::asleep, g_variant_new_boolean(s.presence->asleep));
        add(&presence, key::dnd, g_variant_new_boolean(s.presence->dnd));
        add(&status, key::presence, g_variant_builder_end(&presence));
    }
    add(&status, key::water_today_ml, u32(s.water_today_ml));
    add(&status, key::water_goal_ml, u32(s.water_goal_ml));
    return g_variant_new("(a{sv})", &status);
}

Status decode_status(GVariant* reply) {
    expect(reply, reply::status);
    const Variant dict(g_variant_get_child_value(reply, 0));
    Status out;
    out.state = lookup_string(dict.get(), key::state);
    out.paused_until = lookup_int(dict.get(), key::paused_until);
    out.profile = lookup_string(dict.get(), key::profile);
    if (const Variant list{g_variant_lookup_value(dict.get(), key::reminders, G_VARIANT_TYPE("aa{sv}"))}) {
        const gsize n = g_variant_n_children(list.get());
        for (gsize i = 0; i < n; ++i) {
            const Variant r(g_variant_get_child_value(list.get(), i));
            ReminderStatus rs;
            rs.name = lookup_string(r.get(), key::name);
            rs.kind = lookup_string(r.get(), key::kind);
            rs.every = lookup_int(r.get(), key::every);
            rs.duration = lookup_int(r.get(), key::duration);
            rs.due_in = lookup_int(r.get(), key::due_in);
            rs.snoozes = lookup_int(r.get(), key::snoozes);
            rs.enabled = lookup_bool(r.get(), key::enabled, true);
            rs.on_screen = lookup_bool(r.get(), key::on_screen, false);
            rs.running = lookup_bool(r.get(), key::running, true);
            out.reminders.push_back(std::move(rs));
        }
    }
    if (const Variant presence{g_variant_lookup_value(dict.get(), key::presence, G_VARIANT_TYPE_VARDICT)}) {
        Presence p;
        if (const Variant sources{g_variant_lookup_value(presence.get(), key::sources, G_VARIANT_TYPE_STRING_ARRAY)})
            p.sources = read_strings(sources.get());
        p.idle = lookup_bool(presence.get(), key::idle, false);
        p.locked = lookup_bool(presence.get(), key::locked, false);
        p.asleep = lookup_bool(presence.get(), key::asleep, false);
        p.dnd = lookup_bool(presence.get(), key::dnd, false);
        out.presence = std::move(p);
    }
    out.water_today_ml = lookup_int(dict.get(), key::water_today_ml);
    out.water_goal_ml = lookup_int(dict.get(), key::water_goal_ml);
    return out;
}

// --- Signals and properties --------------------------------------------------------------------

GVariant* encode_shown(const std::vector<std::string>& names, const std::string& title) {
    return g_variant_new("(@ass)", strings(names), title.c_str());
}

GVariant* encode_answered_signal(const std::string& reminder, std::string_view outcome) {
    return g_variant_new("(ss)", reminder.c_str(), std::string(outcome).c_str());
}

GVariant* encode_property(const Properties& p, std::string_view which) {
    if (which == property::state) return text(p.state);
    if (which == property::paused_until) return g_variant_new_int64(p.paused_until);
    if (which == property::next_reminder) return text(p.next_reminder);
    if (which == property::next_due) return g_variant_new_int64(p.next_due);
    return nullptr;
}

GVariant* encode_properties_changed(const Properties& before, const Properties& now) {
    GVariantBuilder changed;
    g_variant_builder_init(&changed, G_VARIANT_TYPE_VARDICT);
    bool any = false;
    auto put = [&](const char* which) {
        add(&changed, which, encode_property(now, which));
        any = true;
    };
    if (now.state != before.state) put(property::state);
    if (now.paused_until != before.paused_until) put(property::paused_until);
    if (now.next_reminder != before.next_reminder) put(property::next_reminder);
    if (std::llabs(now.next_due - before.next_due) > 1) put(property::next_due);
    if (!any) {
        g_variant_builder_clear(&changed);
        return nullptr;
    }
    return g_variant_new("(sa{sv}as)", interface, &changed, nullptr);
}

}  // namespace limber::bus
