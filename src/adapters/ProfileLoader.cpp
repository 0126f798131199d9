#include <limber/adapters/ProfileLoader.hpp>
#include <limber/adapters/XdgDirs.hpp>
#include <limber/core/Text.hpp>

#include <toml++/toml.h>

#include <sys/stat.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace limber::adapters {
namespace {

using core::Diagnostic;
using core::Duration;

const std::vector<std::string> top_keys{"general", "hooks", "reminders"};
const std::vector<std::string> general_keys{"snooze",      "max_snoozes",  "idle_after",  "merge_within",
                                            "respect_dnd", "keep_history", "active_days", "active_hours"};
const std::vector<std::string> hook_keys{"on_shown", "on_answered", "on_pause", "timeout"};
const std::vector<std::string> reminder_keys{"kind",         "every",   "duration", "title",         "message",
                                             "tips",         "urgency", "enabled",  "natural_break", "active_days",
                                             "active_hours", "goal",    "glass"};

std::string_view type_name(toml::node_type t) {
    switch (t) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        default:
            return "nothing";
    }
}

// --- Syntax errors in the user's terms -------------------------------------
// toml++ reports where it stopped and in its own words ("unescaped control characters
// other than TAB…", "could not determine value type"); the two typos behind most of
// them (a missing closing quote, an unquoted word) are said plainly, where they start.

/** A place in the text: byte offset, and line and column (columns count code points, as toml++ does). */
struct Place {
    std::size_t offset = 0;
    int line = 1;
    int column = 1;
};

/** Moves `at` forward to byte `offset` of `text`. */
void advance(std::string_view text, Place& at, std::size_t offset) {
    for (; at.offset < offset && at.offset < text.size(); ++at.offset) {
        const auto c = static_cast<unsigned char>(text[at.offset]);
        if (c == '\n') {
            ++at.line;
            at.column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++at.column;
        }
    }
}

/** The byte offset of toml++'s line:column (the end of the text if it is past it). */
std::size_t offset_of(std::string_view text, const toml::source_position& where) {
    Place at;
    while (at.offset < text.size() && (at.line < static_cast<int>(where.line) ||
                                       (at.line == static_cast<int>(where.line) &&
                                        at.column < static_cast<int>(where.column) && text[at.offset] != '\n')))
        advance(text, at, at.offset + 1);
    return at.offset;
}

/** The string still open at byte `end` (its opening quote and the quote that closes it), if any. */
std::optional<std::pair<Place, std::string_view>> open_string(std::string_view text, std::size_t end) {
    Place at;
    std::size_t i = 0;
    auto starts = [&text](std::size_t k, std::string_view q) { return text.substr(k, q.size()) == q; };
    while (i < end && i < text.size()) {
        const char c = text[i];
        if (c == '#') {  // a comment, to the end of the line
            while (i < text.size() && text[i] != '\n') ++i;
            continue;
        }
        if (c != '"' && c != '\'') {
            ++i;
            continue;
        }
        const std::string_view quote = starts(i, "\"\"\"") ? "\"\"\"" : starts(i, "'''") ? "'''" : text.substr(i, 1);
        const bool multi_line = quote.size() == 3;
        advance(text, at, i);
        const Place opening = at;
        i += quote.size();
        bool closed = false;
        while (i < text.size() && !closed) {
            if (text[i] == '\\' && c == '"')
                i += 2;  // an escape, in "basic" strings only
            else if (!multi_line && (text[i] == '\n' || text[i] == '\r'))
                break;
            else if (starts(i, quote)) {
                i += quote.size();
                closed = true;
            } else
                ++i;
        }
        if (!closed && i >= end) return std::make_pair(opening, quote);
        if (!closed) return std::nullopt;  // open, but toml++ stopped somewhere else
    }
    return std::nullopt;
}

/** The unquoted word at byte `offset` (a lone punctuation mark if it starts there). */
std::pair<std::size_t, std::string_view> bare_word(std::string_view text, std::size_t offset) {
    constexpr std::string_view stops = " \t\r\n=,[]{}#\"'";
    if (offset >= text.size() || stops.find(text[offset]) != std::string_view::npos)
        return {offset, text.substr(offset, offset < text.size() && text[offset] != '\n' ? 1 : 0)};
    std::size_t begin = offset, end = offset;
    while (begin > 0 && stops.find(text[begin - 1]) == std::string_view::npos) --begin;
    while (end < text.size() && stops.find(text[end]) == std::string_view::npos) ++end;
    return {begin, text.substr(begin, end - begin)};
}

/** A syntax error as the person who made it would say it, at the place to fix. */
Diagnostic syntax_error(std::string_view text, const toml::parse_error& e) {
    std::string description(e.description());
    const std::size_t stop = offset_of(text, e.source().begin);
    auto at = [&text](std::size_t offset, std::string message) {
        Place place;
        advance(text, place, offset);
        return Diagnostic{place.line, place.column, std::move(message)};
    };
    const auto is = [&description](std::string_view lead) { return description.rfind(lead, 0) == 0; };
    const bool in_string = is("Error while parsing string:") || is("Error while parsing literal string:");
    const bool at_line_end = stop >= text.size() || text[stop] == '\n' || text[stop] == '\r';
    if (in_string && at_line_end) {
        if (const auto open = open_string(text, stop)) {
            const auto& [opening, quote] = *open;
            const std::string where = quote.size() == 3 ? "" : " on the same line";
            return at(opening.offset,
                      "the string starting here has no closing quote; end it with " + std::string(quote) + where);
        }
    }
    const bool unquoted = is("Error while parsing value: could not determine value type") ||
                          is("Error while parsing boolean:") || is("Error while parsing floating-point:") ||
                          is("Error while parsing decimal integer:");
    if (unquoted) {
        const auto [begin, word] = bare_word(text, stop);
        const std::string shown = "`" + std::string(word) + "`";
        const auto is_letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
        std::string lower(word);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        for (std::string_view yes_no : {"yes", "no", "on", "off", "true", "false", "y", "n"})
            if (lower == yes_no)
                return at(begin, shown + " is not a value; use true or false (lower case), or quote text: \"" +
                                     std::string(word) + "\"");
        if (!word.empty() && std::any_of(word.begin(), word.end(), is_letter))
            return at(begin, shown + " is not a value; text (names, durations, times) goes in quotes: \"" +
                                 std::string(word) + "\"");
        if (!word.empty())
            return at(begin, shown +
                                 " is not a value; a value is \"quoted text\", a number, true or false, "
                                 "or [a list]");
    }
    // Anything else: toml++'s words, marked as TOML syntax.
    // "Error while parsing value: could not …" becomes "TOML syntax: could not … (in value)".
    const std::string lead = "Error while parsing ";
    if (const auto colon = description.find(": "); is(lead) && colon != std::string::npos)
        description =
            description.substr(colon + 2) + " (in " + description.substr(lead.size(), colon - lead.size()) + ")";
    return Diagnostic{static_cast<int>(std::max<toml::source_index>(1, e.source().begin.line)),
                      static_cast<int>(std::max<toml::source_index>(1, e.source().begin.column)),
                      "TOML syntax: " + description};
}

/** Reads one document, collecting every error instead of stopping at the first. */
class Reader {
public:
    std::vector<Diagnostic> errors;

    void error(const toml::source_region& where, std::string message) {
        errors.push_back({static_cast<int>(std::max<toml::source_index>(1, where.begin.line)),
                          static_cast<int>(std::max<toml::source_index>(1, where.begin.column)), std::move(message)});
    }

    /** Reports keys that are not in `allowed`, suggesting the closest one. */
    void check_keys(const toml::table& table, const std::string& prefix, const std::vector<std::string>& allowed) {
        for (auto&& [key, node] : table) {
            const std::string name(key.str());
            if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
            std::string message = prefix + name + ": unknown key";
            if (&allowed == &reminder_keys &&
                std::find(general_keys.begin(), general_keys.end(), name) != general_keys.end())
                message += "; \"" + name + "\" belongs in [general]";
            else if (auto guess = core::closest(name, allowed))
                message += "; did you mean \"" + *guess + "\"?";
            else
                message += "; known keys: " + core::join(allowed, ", ");
            error(key.source(), message);
        }
    }

    const toml::table* table_at(const toml::table& parent, std::string_view key, const std::string& path) {
        const toml::node* node = parent.get(key);
        if (node == nullptr) return nullptr;
        if (!node->is_table()) {
            error(node->source(), path + ": expected a table, found " + std::string(type_name(node->type())));
            return nullptr;
        }
        return node->as_table();
    }

    std::optional<std::string> string_at(const toml::table& t, std::string_view key, const std::string& path) {
        const toml::node* node = t.get(key);
        if (node == nullptr) return std::nullopt;
        if (!node->is_string()) {
            error(node->source(), path + ": expected a string, found " + std::string(type_name(node->type())));
            return std::nullopt;
        }
        return node->value<std::string>();
    }

    std::optional<bool> bool_at(const toml::table& t, std::string_view key, const std::string& path) {
        const toml::node* node = t.get(key);
        if (node == nullptr) return std::nullopt;
        if (!node->is_boolean()) {
            error(node->source(), path + ": expected true or false, found " + std::string(type_name(node->type())));
            return std::nullopt;
        }
        return node->value<bool>();
    }

    std::optional<Duration> duration_at(const toml::table& t, std::string_view key, const std::string& path) {
        const toml::node* node = t.get(key);
        if (node == nullptr) return std::nullopt;
        if (!node->is_string()) {
            error(node->source(), path + ": expected a duration string, found " + std::string(type_name(node->type())) +
                                      "; " + core::duration_forms());
            return std::nullopt;
        }
        auto parsed = core::parse_duration(*node->value<std::string>());
        if (!parsed) error(node->source(), path + ": " + parsed.error);
        return parsed.value;
    }

    std::optional<int> amount_at(const toml::table& t, std::string_view key, const std::string& path) {
        const toml::node* node = t.get(key);
        if (node == nullptr) return std::nullopt;
        if (!node->is_string()) {
            error(node->source(), path + ": expected an amount string such as \"250ml\" or \"2l\", found " +
                                      std::string(type_name(node->type())));
            return std::nullopt;
        }
        auto parsed = core::parse_amount(*node->value<std::string>());
        if (!parsed) error(node->source(), path + ": " + parsed.error);
        return parsed.value;
    }

    std::optional<std::vector<std::string>> strings_at(const toml::table& t, std::string_view key,
                                                       const std::string& path) {
        const toml::node* node = t.get(key);
        if (node == nullptr) return std::nullopt;
        const toml::array* array = node->as_array();
        if (array == nullptr) {
            error(node->source(),
                  path + ": expected an array of strings, found " + std::string(type_name(node->type())));
            return std::nullopt;
        }
        std::vector<std::string> out;
        bool ok = true;
        for (const auto& item : *array) {
            if (auto s = item.value<std::string>(); s && item.is_string()) {
                out.push_back(*s);
            } else {
                error(item.source(), path + ": expected a string, found " + std::string(type_name(item.type())));
                ok = false;
            }
        }
        if (!ok) return std::nullopt;
        return out;
    }

    /** active_days and active_hours, on top of `window` (the inherited one). */
    void window_at(const toml::table& t, const std::string& prefix, core::ActiveWindow& window) {
        if (auto days = strings_at(t, "active_days", prefix + "active_days")) {
            const toml::array& array = *t.get("active_days")->as_array();
            std::uint8_t bits = 0;
            for (std::size_t i = 0; i < days->size(); ++i) {
                if (auto d = core::parse_day((*days)[i])) {
                    bits |= static_cast<std::uint8_t>(1u << *d);
                } else {
                    error(array[i].source(), prefix + "active_days: unknown day \"" + (*days)[i] +
                                                 "\"; valid days: " + core::join(core::day_names, ", "));
                }
            }
            if (days->empty())
                error(t.get("active_days")->source(),
                      prefix + "active_days: empty; list at least one day, e.g. [\"mon\", \"tue\"]");
            else if (bits != 0)
                window.days = bits;
        }
        if (auto hours = string_at(t, "active_hours", prefix + "active_hours")) {
            auto parsed = core::parse_hours(*hours);
            if (parsed) {
                window.start_minute = parsed.value->start_minute;
                window.end_minute = parsed.value->end_minute;
            } else {
                error(t.get("active_hours")->source(), prefix + "active_hours: " + parsed.error);
            }
        }
    }

    void read_general(const toml::table& t, core::General& g) {
        check_keys(t, "general.", general_keys);
        if (auto d = duration_at(t, "snooze", "general.snooze")) {
            if (*d < std::chrono::seconds(1))
                error(t.get("snooze")->source(), "general.snooze: must be at least 1s");
            else
                g.snooze = *d;
        }
        if (const toml::node* n = t.get("max_snoozes")) {
            if (!n->is_integer())
                error(n->source(),
                      "general.max_snoozes: expected an integer, found " + std::string(type_name(n->type())));
            else if (auto v = *n->value<std::int64_t>(); v < 0 || v > 1000)
                error(n->source(),
                      "general.max_snoozes: " + std::to_string(v) + " is out of range (0 = no limit, up to 1000)");
            else
                g.max_snoozes = static_cast<int>(v);
        }
        if (auto d = duration_at(t, "idle_after", "general.idle_after")) {
            if (*d < std::chrono::seconds(1))
                error(t.get("idle_after")->source(), "general.idle_after: must be at least 1s");
            else
                g.idle_after = *d;
        }
        if (auto d = duration_at(t, "merge_within", "general.merge_within")) g.merge_within = *d;
        if (auto b = bool_at(t, "respect_dnd", "general.respect_dnd")) g.respect_dnd = *b;
        if (auto d = duration_at(t, "keep_history", "general.keep_history")) {
            if (*d < std::chrono::hours(24))
                error(t.get("keep_history")->source(), "general.keep_history: must be at least 1d");
            else
                g.keep_history = *d;
        }
        window_at(t, "general.", g.window);
    }

    void read_hooks(const toml::table& t, core::Hooks& h) {
        check_keys(t, "hooks.", hook_keys);
        auto read = [&](std::string_view key, std::vector<std::string>& out) {
            const std::string path = "hooks." + std::string(key);
            if (auto argv = strings_at(t, key, path)) {
                if (argv->empty())
                    error(t.get(key)->source(),
                          path + ": empty; give the command and its arguments, e.g. [\"notify-led\", \"--blink\"]");
                else
                    out = std::move(*argv);
            }
        };
        read("on_shown", h.on_shown);
        read("on_answered", h.on_answered);
        read("on_pause", h.on_pause);
        if (auto d = duration_at(t, "timeout", "hooks.timeout")) {
            if (*d < std::chrono::seconds(1) || *d > std::chrono::minutes(10))
                error(t.get("timeout")->source(), "hooks.timeout: must be from 1s to 10m");
            else
                h.timeout = *d;
        }
    }

    void read_reminder(const std::string& name, const toml::node& node, const toml::key& key,
                       const core::General& general, std::vector<core::Reminder>& out) {
        const std::string prefix = "reminders." + name + ".";
        bool ok = true;
        if (!core::valid_reminder_name(name)) {
            error(key.source(), "reminders." + name + ": invalid reminder name \"" + name +
                                    "\"; use lowercase letters, digits, \"_\" and \"-\"");
            ok = false;
        }
        const toml::table* t = node.as_table();
        if (t == nullptr) {
            error(node.source(),
                  "reminders." + name + ": expected a table, found " + std::string(type_name(node.type())));
            return;
        }
        const std::size_t errors_before = errors.size();
        check_keys(*t, prefix, reminder_keys);
        core::Reminder r;
        r.name = name;
        if (auto k = string_at(*t, "kind", prefix + "kind")) {
            if (auto kind = core::parse_kind(*k))
                r.kind = *kind;
            else
                error(t->get("kind")->source(),
                      prefix + "kind: unknown kind \"" + *k + "\"; valid kinds: " + core::join(core::kind_names, ", "));
        }
        r.urgency = core::default_urgency(r.kind);
        r.natural_break = r.kind != core::Kind::hydration;
        auto every = duration_at(*t, "every", prefix + "every");
        if (every) {
            if (*every < std::chrono::seconds(1))
                error(t->get("every")->source(),
                      prefix + "every: \"" + *t->get("every")->value<std::string>() + "\" is below 1s");
            r.every = *every;
        } else if (t->get("every") == nullptr) {
            error(key.source(), "reminders." + name + ": missing required key \"every\" (e.g. every = \"20m\")");
        }
        if (auto d = duration_at(*t, "duration", prefix + "duration")) {
            r.duration = *d;
            if (every && *every >= std::chrono::seconds(1) && *d >= *every)
                error(t->get("duration")->source(),
                      prefix + "duration: \"" + *t->get("duration")->value<std::string>() +
                          "\" must be shorter than every (\"" + *t->get("every")->value<std::string>() + "\")");
        }
        const core::KindText defaults = core::kind_defaults(r.kind);
        r.title = string_at(*t, "title", prefix + "title").value_or(std::string(defaults.title));
        r.message = string_at(*t, "message", prefix + "message").value_or(std::string(defaults.message));
        if (auto tips = strings_at(*t, "tips", prefix + "tips")) r.tips = std::move(*tips);
        if (auto u = string_at(*t, "urgency", prefix + "urgency")) {
            if (auto urgency = core::parse_urgency(*u))
                r.urgency = *urgency;
            else
                error(t->get("urgency")->source(), prefix + "urgency: unknown urgency \"" + *u +
                                                       "\"; valid: " + core::join(core::urgency_names, ", "));
        }
        if (auto b = bool_at(*t, "enabled", prefix + "enabled")) r.enabled = *b;
        if (auto b = bool_at(*t, "natural_break", prefix + "natural_break")) r.natural_break = *b;
        r.window = general.window;
        window_at(*t, prefix, r.window);
        for (const char* amount_key : {"goal", "glass"}) {
            if (t->get(amount_key) != nullptr && r.kind != core::Kind::hydration)
                error(t->get(amount_key)->source(), prefix + amount_key + ": only hydration reminders take " +
                                                        amount_key + " (set kind = \"hydration\")");
        }
        r.goal_ml = amount_at(*t, "goal", prefix + "goal");
        r.glass_ml = amount_at(*t, "glass", prefix + "glass");
        if (r.kind == core::Kind::hydration && !r.glass_ml) r.glass_ml = 250;
        if (ok && errors.size() == errors_before) out.push_back(std::move(r));
    }

    core::Profile read(const toml::table& root) {
        core::Profile p;
        check_keys(root, "", top_keys);
        if (const toml::table* g = table_at(root, "general", "general")) read_general(*g, p.general);
        if (const toml::table* h = table_at(root, "hooks", "hooks")) read_hooks(*h, p.hooks);
        if (const toml::table* rs = table_at(root, "reminders", "reminders")) {
            for (auto&& [key, node] : *rs) read_reminder(std::string(key.str()), node, key, p.general, p.reminders);
            // toml++ keeps keys sorted; people expect the order of their file.
            std::vector<std::pair<toml::source_index, std::string>> order;
            for (auto&& [key, node] : *rs) order.emplace_back(key.source().begin.line, std::string(key.str()));
            std::stable_sort(p.reminders.begin(), p.reminders.end(), [&order](const auto& a, const auto& b) {
                auto line = [&order](const std::string& name) {
                    for (const auto& [l, n] : order)
                        if (n == name) return l;
                    return toml::source_index{0};
                };
                return line(a.name) < line(b.name);
            });
        }
        return p;
    }
};

}  // namespace

LoadResult load_profile_text(std::string_view text, const std::string& path) {
    LoadResult result;
    result.path = path;
    Reader reader;
    try {
        const toml::table root = toml::parse(text, path);
        core::Profile profile = reader.read(root);
        profile.origin = path;
        if (reader.errors.empty()) result.profile = std::move(profile);
    } catch (const toml::parse_error& e) {
        reader.errors.push_back(syntax_error(text, e));
    }
    result.errors = std::move(reader.errors);
    return result;
}

LoadResult load_profile_file(const std::string& path) {
    auto unreadable = [&path](const std::string& why) {
        LoadResult result;
        result.path = path;
        result.errors.push_back({1, 1, "cannot read the profile (" + why + "); check the path and its permissions"});
        return result;
    };
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return unreadable(std::strerror(errno));
    if (S_ISDIR(st.st_mode)) return unreadable(std::strerror(EISDIR));
    std::ifstream in(path, std::ios::binary);
    if (!in) return unreadable(std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return unreadable(std::strerror(errno));
    return load_profile_text(text.str(), path);
}

core::Profile builtin_profile() {
    auto result = load_profile_text(builtin_profile_text(), "built-in");
    // The built-in profile is checked by the test suite; reaching this is a build defect.
    if (!result.profile) std::abort();
    return std::move(*result.profile);
}

ProfileSource locate_profile(const std::optional<std::string>& cli_path,
                             const std::function<const char*(const char*)>& getenv,
                             const std::function<bool(const std::string&)>& exists) {
    if (cli_path) return {*cli_path};
    auto env = [&](const char* name) -> std::string {
        const char* v = getenv(name);
        return v != nullptr ? v : "";
    };
    if (!env("LIMBER_PROFILE").empty()) return {env("LIMBER_PROFILE")};
    // The XDG base directory spec: relative paths in these variables are ignored.
    auto absolute = [](const std::string& dir) { return !dir.empty() && dir.front() == '/'; };
    const std::string config_home = xdg_base_dir("XDG_CONFIG_HOME", ".config", getenv);
    if (!config_home.empty() && exists(config_home + "/limber/profile.toml"))
        return {config_home + "/limber/profile.toml"};
    std::string dirs = env("XDG_CONFIG_DIRS");
    if (dirs.empty()) dirs = "/etc/xdg";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const std::string dir = dirs.substr(start, end - start);
        if (absolute(dir) && exists(dir + "/limber/profile.toml")) return {dir + "/limber/profile.toml"};
        start = end + 1;
    }
    return {};
}

namespace {
bool is_regular_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}
}  // namespace

ProfileSource locate_profile(const std::optional<std::string>& cli_path) {
    return locate_profile(
        cli_path, [](const char* name) { return std::getenv(name); }, is_regular_file);
}

ProfileSource locate_own_profile() {
    return locate_profile(
        std::nullopt,
        [](const char* name) -> const char* {
            return std::strcmp(name, "LIMBER_PROFILE") == 0 ? nullptr : std::getenv(name);
        },
        is_regular_file);
}

LoadResult load_profile(const ProfileSource& source) {
    if (!source.builtin()) return load_profile_file(source.path);
    LoadResult result;
    result.path = "built-in";
    result.profile = builtin_profile();
    return result;
}

}  // namespace limber::adapters
