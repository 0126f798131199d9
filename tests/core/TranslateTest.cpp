// The translation hook: English as written until a translator is installed; a translator's words
// in every notice text and plural; printf-style format with reordered arguments.

#include <limber/core/NoticeText.hpp>
#include <limber/core/Translate.hpp>

#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <string>

using namespace limber::core;
using namespace std::chrono;

namespace {

// A tiny catalogue, as gettext would answer from a .mo (German plural rule: n != 1).
const std::map<std::string, std::string> catalogue = {
    {"%lld min", "%lld Min."},
    {"%lld s", "%lld Sek."},
    {"Break: %s left.", "Noch %s Pause."},
    {"Break over", "Pause vorbei"},
    {"%s: done. Back to work, gently.", "%s: geschafft. Sachte zurück an die Arbeit."},
    {"%s (%s break)", "%s (%s Pause)"},
};

const char* fake_translate(const char* msgid) {
    const auto it = catalogue.find(msgid);
    return it != catalogue.end() ? it->second.c_str() : msgid;
}

const char* fake_translate_plural(const char* one, const char* many, unsigned long n) {
    if (std::strcmp(one, "%lu reminder") == 0) return n != 1 ? "%lu Erinnerungen" : "%lu Erinnerung";
    return n == 1 ? one : many;
}

/** Installs the fake catalogue for one test case, and always takes it away again. */
struct German {
    German() { set_translator(fake_translate, fake_translate_plural); }
    ~German() { set_translator(nullptr, nullptr); }
    German(const German&) = delete;
    German& operator=(const German&) = delete;
};

}  // namespace

TEST_CASE("without a translator, text is English as written", "[core][translate]") {
    CHECK(std::string(tr("Break over")) == "Break over");
    CHECK(std::string(trn("%lu reminder", "%lu reminders", 1)) == "%lu reminder");
    CHECK(std::string(trn("%lu reminder", "%lu reminders", 0)) == "%lu reminders");
    CHECK(std::string(trn("%lu reminder", "%lu reminders", 3)) == "%lu reminders");
    CHECK(merged_title(2) == "2 reminders");
}

TEST_CASE("format is printf with positional arguments a translation may reorder", "[core][translate]") {
    CHECK(format("%s (%s break)", "Stretch", "1 min") == "Stretch (1 min break)");
    const char* reordered = "%2$s, %1$s";  // as a translation may say it (not a literal: -Wformat)
    CHECK(format(reordered, "one", "two") == "two, one");
    CHECK(format("%lld%%", 80LL) == "80%");
    CHECK(format("%s", "") == "");
    const std::string long_text(5000, 'x');
    CHECK(format("[%s]", long_text.c_str()) == "[" + long_text + "]");
}

TEST_CASE("with a translator, notice texts and plurals are its words", "[core][translate]") {
    const German german;
    CHECK(spoken_length(seconds(90)) == "1 Min. 30 Sek.");
    CHECK(spoken_length(seconds(0)) == "0 Sek.");
    CHECK(merged_title(3) == "3 Erinnerungen");
    const auto steps = countdown("Zeit zum Dehnen", seconds(90));
    REQUIRE(steps.size() >= 2);
    CHECK(steps.front().body == "Noch 1 Min. 30 Sek. Pause.");
    CHECK(steps.back().title == "Pause vorbei");
    CHECK(steps.back().body == "Zeit zum Dehnen: geschafft. Sachte zurück an die Arbeit.");
    // A message the catalogue lacks stays English.
    CHECK(std::string(tr("Your break")) == "Your break");
}
