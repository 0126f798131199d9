#pragma once
// The person's language for limberd, limberctl and limber-tray: the locale from the environment
// (LANG, LC_ALL, LC_MESSAGES…) for messages and dates only: numbers (LC_NUMERIC) stay "C", so that
// JSON, CSV and the bus never change with it, and so do character types; gettext's catalogue of the "limber" domain
// from the build tree or the installed share/locale (adapters/DataDirs.hpp); and core::tr() wired to it.

namespace limber::adapters {

/** gettext's text domain of limber's catalogues (each po/LANG.po becomes share/locale/LANG/LC_MESSAGES/limber.mo). */
inline constexpr const char* text_domain = "limber";

/** Call first in main(), before any text is made. Never fails: an unknown locale leaves English. */
void use_system_locale() noexcept;

}  // namespace limber::adapters
