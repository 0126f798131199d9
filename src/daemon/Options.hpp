#pragma once
// limberd's command line, defined once: main.cpp parses and prints --help from
// it, and the man page limberd(1) is generated from it (doc/ManPage.cpp).

#include <boost/program_options/options_description.hpp>

namespace limber::daemon {

inline constexpr const char* usage = "limberd [--profile PATH] [--check] [--log-level LEVEL] [--version] [--help]";
inline constexpr const char* description =
    "Reminds you to sit well, stretch, drink and move, with desktop notifications.\n"
    "Runs until SIGTERM or SIGINT; SIGHUP re-reads the profile.";

/** Every option of limberd, with its help text. */
boost::program_options::options_description options();

}  // namespace limber::daemon
