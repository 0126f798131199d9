#pragma once
// limberd's command line, defined once: main.cpp parses and prints --help from
// it, and the man page limberd(1) is generated from it (doc/ManPage.cpp).

#include <limber/core/Translate.hpp>

#include <boost/program_options/options_description.hpp>

namespace limber::daemon {

inline constexpr const char* usage = "limberd [--profile PATH] [--check] [--log-level LEVEL] [--version] [--help]";
// TRANSLATORS: limberd --help; the man page keeps the English.
inline constexpr const char* description =
    N_("Reminds you to sit well, stretch, drink and move, with desktop notifications.\n"
       "Runs until SIGTERM or SIGINT; SIGHUP re-reads the profile.");

/** Every option of limberd, with its help text (in the person's language once a main set it: the man
 * page generator sets none, so it stays English). */
boost::program_options::options_description options();

}  // namespace limber::daemon
