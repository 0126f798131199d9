#pragma once
// The words a person reads, in their language. The core and every adapter mark user-facing text with
// tr() / trn() (xgettext's keywords, see po/CMakeLists.txt) and N_() for text translated later; the
// core only calls a hook, which stays the identity (English, as written) until a main installs
// gettext's through adapters::use_system_locale(). JSON, CSV, the bus and the log's machine fields are
// never passed through it.

#include <string>

namespace limber::core {

/** Translates one message id (a C string that lives for the whole program). */
using Translator = const char* (*)(const char* msgid);
/** Translates a message with plural forms: `one` for n == 1 in English, `many` otherwise. */
using PluralTranslator = const char* (*)(const char* one, const char* many, unsigned long n);

/** Installs the translation hooks (nullptr for either: back to English as written). */
void set_translator(Translator translate, PluralTranslator translate_plural) noexcept;

/** `msgid` in the person's language. */
const char* tr(const char* msgid) noexcept;

/** The plural form of a message for `n`. */
const char* trn(const char* one, const char* many, unsigned long n) noexcept;

/**
 * printf-style formatting of a translated pattern into a std::string ("%s", "%d", "%lld", and the
 * positional "%1$s" a translator may need to reorder). Patterns are checked by `msgfmt --check`, so a
 * translation's conversions always match the English ones.
 */
[[gnu::format(printf, 1, 2)]] std::string format(const char* pattern, ...);

}  // namespace limber::core

/** Marks a string for extraction without translating it here (translated where it is shown). */
#define N_(text) text
