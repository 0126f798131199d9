#include <limber/adapters/DataDirs.hpp>
#include <limber/adapters/Locale.hpp>
#include <limber/core/Translate.hpp>

#include <libintl.h>
#include <clocale>

namespace limber::adapters {

namespace {
const char* translate(const char* msgid) { return dgettext(text_domain, msgid); }
const char* translate_plural(const char* one, const char* many, unsigned long n) {
    return dngettext(text_domain, one, many, n);
}
}  // namespace

void use_system_locale() noexcept {
    // Only what a person reads: messages, and dates ("Mi 02 Dez"). Numbers stay "C" ("1.5", never "1,5",
    // in JSON, CSV and the bus), and so does LC_CTYPE: nothing here converts characters (catalogues are
    // read as UTF-8, below), and loading its tables would add 128 KiB to an idle limberd.
    std::setlocale(LC_MESSAGES, "");
    std::setlocale(LC_TIME, "");
    try {
        const auto dir = find_data_dir("locale", "de/LC_MESSAGES/limber.mo");
        bindtextdomain(text_domain, dir.empty() ? LIMBER_DATADIR "/locale" : dir.c_str());
    } catch (...) {  // a path too long to copy: English
        return;
    }
    bind_textdomain_codeset(text_domain, "UTF-8");
    core::set_translator(translate, translate_plural);
}

}  // namespace limber::adapters
