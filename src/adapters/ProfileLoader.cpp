#include <limber/adapters/ProfileLoader.hpp>
#include <limber/adapters/XdgDirs.hpp>
#include <limber/core/Text.hpp>
#include <limber/core/Translate.hpp>

#include "BoundedRead.hpp"

#include <toml++/toml.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace limber::adapters {

using core::format;
using core::tr;
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
    // TRANSLATORS: what a profile has where another type was expected: "expected a string, found %s".
    switch (t) {
        case toml::node_type::table:
            return tr("a table");
        case toml::node_type::array:
            return tr("an array");
        case toml::node_type::string:
            return tr("a string");
        case toml::node_type::integer:
            return tr("an integer");
        case toml::node_type::floating_point:
            return tr("a number");
        case toml::node_type::boolean:
            return tr("a boolean");
        case toml::node_type::date:
            return tr("a date");
        case toml::node_type::time:
            return tr("a time");
        case toml::node_type::date_time:
            return tr("a date-time");
        default:
            return tr("nothing");
    }
}

/** What `node` is, for "expected …, found %s" (NUL-terminated: a translated literal). */
const char* found(const toml::node& node) { return type_name(node.type()).data(); }

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
            const std::string q(quote);
            return at(opening.offset,
                      quote.size() == 3
                          ? format(tr("the string starting here has no closing quote; end it with %s"), q.c_str())
                          : format(tr("the string starting here has no closing quote; end it with %s on the same line"),
                                   q.c_str()));
        }
    }
    const bool unquoted = is("Error while parsing value: could not determine value type") ||
                          is("Error while parsing boolean:") || is("Error while parsing floating-point:") ||
                          is("Error while parsing decimal integer:");
    if (unquoted) {
        const auto [begin, word] = bare_word(text, stop);
        const std::string shown(word);
        const auto is_letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
        std::string lower(word);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        for (std::string_view yes_no : {"yes", "no", "on", "off", "true", "false", "y", "n"})
            if (lower == yes_no)
                return at(begin,
                          format(tr("`%s` is not a value; use true or false (lower case), or quote text: \"%s\""),
                                 shown.c_str(), shown.c_str()));
        if (!word.empty() && std::any_of(word.begin(), word.end(), is_letter))
            return at(begin, format(tr("`%s` is not a value; text (names, durations, times) goes in quotes: \"%s\""),
                                    shown.c_str(), shown.c_str()));
        if (!word.empty())
            return at(begin, format(tr("`%s` is not a value; a value is \"quoted text\", a number, true or false, or "
                                       "[a list]"),
                                    shown.c_str()));
    }
    // Anything else: toml++'s words, marked as TOML syntax.
    // "Error while parsing value: could not …" becomes "TOML syntax: could not … (in value)".
    const std::string lead = "Error while parsing ";
    if (const auto colon = description.find(": "); is(lead) && colon != std::string::npos)
        description =
            description.substr(colon + 2) + " (in " + description.substr(lead.size(), colon - lead.size()) + ")";
    return Diagnostic{static_cast<int>(std::max<toml::source_index>(1, e.source().begin.line)),
                      static_cast<int>(std::max<toml::source_index>(1, e.source().begin.column)),
                      // TRANSLATORS: %s is the TOML parser's own description, in English.
                      format(tr("TOML syntax: %s"), description.c_str())};
}

// --- Bounds the TOML parser does not keep -------------------------------------
// toml++ limits nested arrays and inline tables (to 256), but dotted keys and table
// headers nest without a limit, and its recursion over what it built then overflows the
// stack ("a.a.a… = 1" with a few thousand parts kills the process). So the text is
// scanned first, every way of nesting counted alike: each part of a key or table header,
// each array and each inline table is one level.

/** Where a string that starts at `i` ends (past its closing quote; at the line's end if
 *  it has none, where toml++ will stop). */
std::size_t skip_string(std::string_view text, std::size_t i) {
    const char quote = text[i];
    const bool basic = quote == '"';
    const bool multi_line = text.substr(i, 3) == std::string(3, quote);
    std::size_t j = i + (multi_line ? 3 : 1);
    while (j < text.size()) {
        const char c = text[j];
        if (basic && c == '\\') {
            j += 2;
        } else if (c == quote && (!multi_line || text.substr(j, 3) == std::string(3, quote))) {
            if (!multi_line) return j + 1;
            // Up to two quotes just inside the closing delimiter belong to the string.
            std::size_t end = j + 3;
            for (int extra = 0; extra < 2 && end < text.size() && text[end] == quote; ++extra) ++end;
            return end;
        } else if (!multi_line && c == '\n') {
            return j;
        } else {
            ++j;
        }
    }
    return std::min(j, text.size());
}

/** The first place where `text` goes past what the parser is given: too long, a NUL byte,
 *  or nested deeper than max_profile_depth. */
std::optional<Diagnostic> prescan(std::string_view text) {
    auto at = [&text](std::size_t offset, std::string message) {
        Place place;
        advance(text, place, offset);
        return Diagnostic{place.line, place.column, std::move(message)};
    };
    if (text.size() > max_profile_bytes)
        return at(max_profile_bytes, format(tr("the profile is longer than 1 MiB (%lld bytes); a profile must be at "
                                               "most that"),
                                            static_cast<long long>(max_profile_bytes)));
    if (const auto nul = text.find('\0'); nul != std::string_view::npos)
        return at(nul, tr("a NUL byte; a profile is text, remove it"));
    auto too_deep = [&](std::size_t offset) {
        return at(offset, format(tr("tables, arrays and keys nested deeper than %d levels; a profile needs 4 at most "
                                    "(reminders.NAME.tips = [...]), flatten this"),
                                 static_cast<int>(max_profile_depth)));
    };
    // An open array (its elements are at `depth`) or inline table (its keys start below `depth`).
    struct Frame {
        char kind;
        int depth;
    };
    std::vector<Frame> frames;
    enum class Expect { key, value, other } expect = Expect::key;
    int table = 0;          // the depth of the last [table] header, where top-level keys start
    int segments = 0;       // parts of the key being read
    int value = 0;          // the depth of the value being read
    bool header = false;    // inside [a.b] or [[a.b]]
    bool array_of = false;  // [[a.b]]
    constexpr std::string_view stops = " \t\r\n.=,[]{}#\"'";
    auto container = [&] { return !frames.empty() ? frames.back().depth : header ? 0 : table; };
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '#') {
            while (i < text.size() && text[i] != '\n') ++i;
            continue;
        }
        if (c == '\n' && frames.empty()) {  // a statement ends (arrays go on over lines)
            expect = Expect::key;
            segments = 0;
            header = false;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++i;
            continue;
        }
        // Opening an array or inline table: as a value, or anywhere toml++ would refuse it anyway.
        const bool opens = (c == '[' || c == '{') &&
                           !(c == '[' && expect == Expect::key && frames.empty() && segments == 0 && !header);
        if (opens) {
            const int depth = expect == Expect::value ? value : container() + std::max(segments, 1);
            if (c == '[') {
                if (depth + 1 > max_profile_depth) return too_deep(i);
                frames.push_back({'[', depth + 1});
                expect = Expect::value;
                value = depth + 1;
            } else {
                if (depth > max_profile_depth) return too_deep(i);
                frames.push_back({'{', depth});
                expect = Expect::key;
                segments = 0;
            }
            ++i;
            continue;
        }
        if (c == '[') {  // a table header at the start of a line
            header = true;
            array_of = text.substr(i, 2) == "[[";
            i += array_of ? 2 : 1;
            continue;
        }
        if (c == ']' || c == '}') {
            if (header && frames.empty()) {
                table = segments + (array_of ? 1 : 0);  // [[a]] is an array of tables: a level more
                if (table > max_profile_depth) return too_deep(i);
                header = false;
                i += array_of && text.substr(i, 2) == "]]" ? 2 : 1;
            } else {
                if (!frames.empty()) frames.pop_back();
                ++i;
            }
            expect = Expect::other;
            continue;
        }
        if (c == ',') {
            if (!frames.empty() && frames.back().kind == '[') {
                expect = Expect::value;
                value = frames.back().depth;
            } else {
                expect = Expect::key;
                segments = 0;
            }
            ++i;
            continue;
        }
        if (c == '=') {
            value = container() + segments;
            expect = Expect::value;
            segments = 0;
            ++i;
            continue;
        }
        if (c == '.' && expect == Expect::key) {
            ++i;
            continue;
        }
        // A string or a bare word: a part of a key, or a value.
        const std::size_t start = i;
        if (c == '"' || c == '\'') {
            i = skip_string(text, i);
        } else {
            while (i < text.size() &&
                   (stops.find(text[i]) == std::string_view::npos || (text[i] == '.' && expect != Expect::key)))
                ++i;
            if (i == start) ++i;
        }
        if (expect == Expect::key) {
            if (container() + ++segments > max_profile_depth) return too_deep(start);
        } else {
            expect = Expect::other;
        }
    }
    return std::nullopt;
}

/** `message` with its control characters written as \\u00XX: what it quotes from the profile
 *  (a key, a value) never reaches a terminal raw. */
std::string printable(const std::string& message) {
    std::string out;
    out.reserve(message.size());
    for (const char c : message) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04X", byte);
            out += escaped;
        } else {
            out += c;
        }
    }
    return out;
}

/** Reads one document, collecting every error instead of stopping at the first. */
class Reader {
public:
    std::vector<Diagnostic> errors;

    void error(const toml::source_region& where, const std::string& message) {
        errors.push_back({static_cast<int>(std::max<toml::source_index>(1, where.begin.line)),
                          static_cast<int>(std::max<toml::source_index>(1, where.begin.column)), printable(message)});
    }

    /** A string's value, unless it holds a NUL (it would cut the text or the hook's argument short)
     *  or, in text shown on screen, any other control character than tab and newline. */
    std::optional<std::string> text_of(const toml::node& node, const std::string& path, bool on_screen) {
        std::string s = *node.value<std::string>();
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            const bool c1 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0;
            const bool control = c < 0x20 || c == 0x7F || c1;
            if (c == 0) {
                error(node.source(),
                      path + ": " + tr("holds a NUL character (\\u0000), which would cut it short; remove it"));
                return std::nullopt;
            }
            if (on_screen && control && c != '\t' && c != '\n') {
                const unsigned code = c1 ? static_cast<unsigned char>(s[i + 1]) : c;
                char name[8];
                std::snprintf(name, sizeof name, "U+%04X", code);
                error(node.source(), path + ": " +
                                         format(tr("holds the control character %s; text shown on screen may have "
                                                   "tabs and new lines (\\n), no other control characters"),
                                                name));
                return std::nullopt;
            }
        }
        return s;
    }

    /** Reports keys that are not in `allowed`, suggesting the closest one. */
    void check_keys(const toml::table& table, const std::string& prefix, const std::vector<std::string>& allowed) {
        for (auto&& [key, node] : table) {
            const std::string name(key.str());
            if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
            std::string message = prefix + name + ": " + tr("unknown key");
            if (&allowed == &reminder_keys &&
                std::find(general_keys.begin(), general_keys.end(), name) != general_keys.end())
                message += "; " + format(tr("\"%s\" belongs in [general]"), name.c_str());
            else if (auto guess = core::closest(name, allowed))
                message += "; " + format(tr("did you mean \"%s\"?"), guess->c_str());
            else
                message += "; " + format(tr("known keys: %s"), core::join(allowed, ", ").c_str());
            error(key.source(), message);
        }
    }

    const toml::table* table_at(const toml::table& parent, std::string_view key, const std::string& path) {
        const toml::node* node = parent.get(key);
        if (node == nullptr) return nullptr;
        if (!node->is_table()) {
            error(node->source(), path + ": " + format(tr("expected a table, found %s"), found(*node)));
            return nullptr;
        }
        return node->as_table();
    }

    std::optional<std::string> string_at(const toml::table& t, std::string_view key, const std::string& path,
                                         bool on_screen = false) {
        const toml::node* node = t.get(key);
        if (node == nullptr) return std::nullopt;
        if (!node->is_string()) {
            error(node->source(), path + ": " + format(tr("expected a string, found %s"), found(*node)));
            return std::nullopt;
        }
        return text_of(*node, path, on_screen);
    }

    std::optional<bool> bool_at(const toml::table& t, std::string_view key, const std::string& path) {
        const toml::node* node = t.get(key);
        if (node == nullptr) return std::nullopt;
        if (!node->is_boolean()) {
            error(node->source(), path + ": " + format(tr("expected true or false, found %s"), found(*node)));
            return std::nullopt;
        }
        return node->value<bool>();
    }

    std::optional<Duration> duration_at(const toml::table& t, std::string_view key, const std::string& path) {
        const toml::node* node = t.get(key);
        if (node == nullptr) return std::nullopt;
        if (!node->is_string()) {
            error(node->source(), path + ": " + format(tr("expected a duration string, found %s"), found(*node)) +
                                      "; " + core::duration_forms());
            return std::nullopt;
        }
        const auto text = text_of(*node, path, false);
        if (!text) return std::nullopt;
        auto parsed = core::parse_duration(*text);
        if (!parsed) error(node->source(), path + ": " + parsed.error);
        return parsed.value;
    }

    std::optional<int> amount_at(const toml::table& t, std::string_view key, const std::string& path) {
        const toml::node* node = t.get(key);
        if (node == nullptr) return std::nullopt;
        if (!node->is_string()) {
            error(node->source(),
                  path + ": " +
                      format(tr("expected an amount string such as \"250ml\" or \"2l\", found %s"), found(*node)));
            return std::nullopt;
        }
        const auto text = text_of(*node, path, false);
        if (!text) return std::nullopt;
        auto parsed = core::parse_amount(*text);
        if (!parsed) error(node->source(), path + ": " + parsed.error);
        return parsed.value;
    }

    std::optional<std::vector<std::string>> strings_at(const toml::table& t, std::string_view key,
                                                       const std::string& path, bool on_screen = false) {
        const toml::node* node = t.get(key);
        if (node == nullptr) return std::nullopt;
        const toml::array* array = node->as_array();
        if (array == nullptr) {
            error(node->source(), path + ": " + format(tr("expected an array of strings, found %s"), found(*node)));
            return std::nullopt;
        }
        std::vector<std::string> out;
        bool ok = true;
        for (const auto& item : *array) {
            if (item.is_string()) {
                if (auto s = text_of(item, path, on_screen))
                    out.push_back(std::move(*s));
                else
                    ok = false;
            } else {
                error(item.source(), path + ": " + format(tr("expected a string, found %s"), found(item)));
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
                    error(array[i].source(), prefix + "active_days: " +
                                                 format(tr("unknown day \"%s\"; valid days: %s"), (*days)[i].c_str(),
                                                        core::join(core::day_names, ", ").c_str()));
                }
            }
            if (days->empty())
                error(t.get("active_days")->source(),
                      prefix + "active_days: " + tr("empty; list at least one day, e.g. [\"mon\", \"tue\"]"));
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
                error(t.get("snooze")->source(), std::string("general.snooze: ") + tr("must be at least 1s"));
            else
                g.snooze = *d;
        }
        if (const toml::node* n = t.get("max_snoozes")) {
            if (!n->is_integer())
                error(n->source(), "general.max_snoozes: " + format(tr("expected an integer, found %s"), found(*n)));
            else if (auto v = *n->value<std::int64_t>(); v < 0 || v > 1000)
                error(n->source(),
                      "general.max_snoozes: " +
                          format(tr("%lld is out of range (0 = no limit, up to 1000)"), static_cast<long long>(v)));
            else
                g.max_snoozes = static_cast<int>(v);
        }
        if (auto d = duration_at(t, "idle_after", "general.idle_after")) {
            if (*d < std::chrono::seconds(1))
                error(t.get("idle_after")->source(), std::string("general.idle_after: ") + tr("must be at least 1s"));
            else
                g.idle_after = *d;
        }
        if (auto d = duration_at(t, "merge_within", "general.merge_within")) g.merge_within = *d;
        if (auto b = bool_at(t, "respect_dnd", "general.respect_dnd")) g.respect_dnd = *b;
        if (auto d = duration_at(t, "keep_history", "general.keep_history")) {
            if (*d < std::chrono::hours(24))
                error(t.get("keep_history")->source(),
                      std::string("general.keep_history: ") + tr("must be at least 1d"));
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
                          path + ": " +
                              tr("empty; give the command and its arguments, e.g. [\"notify-led\", \"--blink\"]"));
                else if (argv->front().empty())
                    error((*t.get(key)->as_array())[0].source(),
                          path + ": " +
                              tr("the program (the first string) is empty; name the command to run, e.g. "
                                 "[\"notify-led\", \"--blink\"]"));
                else
                    out = std::move(*argv);
            }
        };
        read("on_shown", h.on_shown);
        read("on_answered", h.on_answered);
        read("on_pause", h.on_pause);
        if (auto d = duration_at(t, "timeout", "hooks.timeout")) {
            if (*d < std::chrono::seconds(1) || *d > std::chrono::minutes(10))
                error(t.get("timeout")->source(), std::string("hooks.timeout: ") + tr("must be from 1s to 10m"));
            else
                h.timeout = *d;
        }
    }

    void read_reminder(const std::string& name, const toml::node& node, const toml::key& key,
                       const core::General& general, std::vector<core::Reminder>& out) {
        const std::string prefix = "reminders." + name + ".";
        bool ok = true;
        if (!core::valid_reminder_name(name)) {
            error(key.source(),
                  "reminders." + name + ": " +
                      format(tr("invalid reminder name \"%s\"; use lowercase letters, digits, \"_\" and \"-\""),
                             name.c_str()));
            ok = false;
        }
        const toml::table* t = node.as_table();
        if (t == nullptr) {
            error(node.source(), "reminders." + name + ": " + format(tr("expected a table, found %s"), found(node)));
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
                error(t->get("kind")->source(), prefix + "kind: " +
                                                    format(tr("unknown kind \"%s\"; valid kinds: %s"), k->c_str(),
                                                           core::join(core::kind_names, ", ").c_str()));
        }
        r.urgency = core::default_urgency(r.kind);
        r.natural_break = r.kind != core::Kind::hydration;
        auto every = duration_at(*t, "every", prefix + "every");
        if (every) {
            if (*every < std::chrono::seconds(1))
                error(t->get("every")->source(),
                      prefix +
                          "every: " + format(tr("\"%s\" is below 1s"), t->get("every")->value<std::string>()->c_str()));
            r.every = *every;
        } else if (t->get("every") == nullptr) {
            error(key.source(),
                  "reminders." + name + ": " + tr("missing required key \"every\" (e.g. every = \"20m\")"));
        }
        if (auto d = duration_at(*t, "duration", prefix + "duration")) {
            r.duration = *d;
            if (every && *every >= std::chrono::seconds(1) && *d >= *every)
                error(t->get("duration")->source(), prefix + "duration: " +
                                                        format(tr("\"%s\" must be shorter than every (\"%s\")"),
                                                               t->get("duration")->value<std::string>()->c_str(),
                                                               t->get("every")->value<std::string>()->c_str()));
        }
        const core::KindText defaults = core::kind_defaults(r.kind);
        r.title = string_at(*t, "title", prefix + "title", true).value_or(std::string(defaults.title));
        r.message = string_at(*t, "message", prefix + "message", true).value_or(std::string(defaults.message));
        if (auto tips = strings_at(*t, "tips", prefix + "tips", true)) r.tips = std::move(*tips);
        if (auto u = string_at(*t, "urgency", prefix + "urgency")) {
            if (auto urgency = core::parse_urgency(*u))
                r.urgency = *urgency;
            else
                error(t->get("urgency")->source(), prefix + "urgency: " +
                                                       format(tr("unknown urgency \"%s\"; valid: %s"), u->c_str(),
                                                              core::join(core::urgency_names, ", ").c_str()));
        }
        if (auto b = bool_at(*t, "enabled", prefix + "enabled")) r.enabled = *b;
        if (auto b = bool_at(*t, "natural_break", prefix + "natural_break")) r.natural_break = *b;
        r.window = general.window;
        window_at(*t, prefix, r.window);
        for (const char* amount_key : {"goal", "glass"}) {
            if (t->get(amount_key) != nullptr && r.kind != core::Kind::hydration)
                error(t->get(amount_key)->source(),
                      prefix + amount_key + ": " +
                          format(tr("only hydration reminders take %s (set kind = \"hydration\")"), amount_key));
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
    if (auto refused = prescan(text)) {
        result.errors.push_back(std::move(*refused));
        return result;
    }
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

namespace {

/** What a file that is not a regular one is, as a person would say it. */
std::string_view file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return tr("a directory");
    if (S_ISFIFO(mode)) return tr("a FIFO");
    if (S_ISCHR(mode)) return tr("a character device");
    if (S_ISBLK(mode)) return tr("a block device");
    if (S_ISSOCK(mode)) return tr("a socket");
    return tr("not a file");
}

/** What read_profile_text() read, or why it could not (a message for 1:1). */
struct FileText {
    std::optional<std::string> text;
    std::string error;
};

/** The text of the profile at `path`, or why it cannot be read. Opened without
 *  blocking (a FIFO would wait for a writer), only a regular file is read, and at most one byte more
 *  than max_profile_bytes (a file that grows, or one whose size the kernel does not know). */
FileText read_profile_text(const std::string& path) {
    auto unreadable = [](int error) {
        return FileText{std::nullopt, format(tr("cannot read the profile (%s); check the path and its permissions"),
                                             std::strerror(error))};
    };
    const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
    if (file.fd < 0) return unreadable(errno);
    BoundedRead read = read_bounded(file.fd, max_profile_bytes);
    switch (read.outcome) {
        case BoundedRead::Outcome::read:
            return FileText{std::move(read.text), {}};
        case BoundedRead::Outcome::failed:
            return unreadable(read.error);
        case BoundedRead::Outcome::not_regular:
            return FileText{std::nullopt, format(tr("not a regular file (%s); a profile must be a file"),
                                                 file_kind(read.mode).data())};
        case BoundedRead::Outcome::too_big:
            return FileText{std::nullopt, format(tr("larger than 1 MiB; a profile must be at most %lld bytes"),
                                                 static_cast<long long>(max_profile_bytes))};
    }
    return unreadable(EINVAL);
}

}  // namespace

LoadResult load_profile_file(const std::string& path) {
    FileText file = read_profile_text(path);
    if (file.text) return load_profile_text(*file.text, path);
    LoadResult result;
    result.path = path;
    result.errors.push_back({1, 1, std::move(file.error)});
    return result;
}

core::Profile builtin_profile() {
    auto result = load_profile_text(builtin_profile_text(), std::string(core::builtin_origin));
    // The built-in profile is checked by the test suite; reaching this is a build defect.
    if (!result.profile) std::abort();
    // Its words in the person's language: po/profile_strings.py puts each title, message and tip into the
    // template as written here. Only the built-in profile: one the person writes is shown as written.
    for (auto& reminder : result.profile->reminders) {
        auto translate = [](std::string& text) { text = std::string(core::tr(text.c_str())); };
        translate(reminder.title);
        translate(reminder.message);
        for (auto& tip : reminder.tips) translate(tip);
    }
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
/**
 * Something is at `path` (a file, or a FIFO, a directory, one we may not read): the lookup takes it,
 * and reading it says what is wrong there, instead of passing on silently to the built-in profile.
 */
bool is_present(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}
}  // namespace

ProfileSource locate_profile(const std::optional<std::string>& cli_path) {
    return locate_profile(
        cli_path, [](const char* name) { return std::getenv(name); }, is_present);
}

ProfileSource locate_own_profile() {
    return locate_profile(
        std::nullopt,
        [](const char* name) -> const char* {
            return std::strcmp(name, "LIMBER_PROFILE") == 0 ? nullptr : std::getenv(name);
        },
        is_present);
}

LoadResult load_profile(const ProfileSource& source) {
    if (!source.builtin()) return load_profile_file(source.path);
    LoadResult result;
    result.path = core::builtin_origin;
    result.profile = builtin_profile();
    return result;
}

}  // namespace limber::adapters
