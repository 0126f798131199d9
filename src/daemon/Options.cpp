#include "Options.hpp"

#include <limber/core/Translate.hpp>

#include <boost/program_options.hpp>

#include <string>

namespace limber::daemon {

boost::program_options::options_description options() {
    namespace po = boost::program_options;
    using core::tr;
    po::options_description options(tr("Options"));
    options.add_options()("profile", po::value<std::string>()->value_name("PATH"),
                          tr("profile to use (default: $LIMBER_PROFILE, $XDG_CONFIG_HOME/limber/profile.toml, "
                             "limber/profile.toml in $XDG_CONFIG_DIRS, else the built-in one)"))(
        "check", tr("validate the profile, print every error, and exit (0 = valid, 1 = invalid)"))(
        "log-level", po::value<std::string>()->value_name("LEVEL")->default_value("info"),
        tr("trace, debug, info, warn, error, critical or off"))("version", tr("print the version and exit"))(
        "help,h", tr("print this help and exit"));
    return options;
}

}  // namespace limber::daemon
