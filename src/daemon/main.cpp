// limberd: reminds a person at a computer to sit well, stretch, drink and move.

#include <limber/adapters/Locale.hpp>
#include <limber/adapters/Logging.hpp>
#include <limber/adapters/ProfileLoader.hpp>
#include <limber/adapters/StateStore.hpp>
#include <limber/core/Translate.hpp>
#include <limber/daemon/Daemon.hpp>

#include "Options.hpp"

#include <spdlog/spdlog.h>
#include <boost/program_options.hpp>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>

#ifndef LIMBER_VERSION
#define LIMBER_VERSION "0.0.0"
#endif

namespace po = boost::program_options;
using limber::core::format;
using limber::core::tr;

namespace {

int run(int argc, char** argv) {
    const po::options_description options = limber::daemon::options();

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        // TRANSLATORS: after an error on limberd's command line (boost's own message, in English).
        std::cerr << "limberd: " << e.what() << "\n" << tr("Try 'limberd --help'.") << "\n";
        return 2;
    }
    if (vm.count("help")) {
        std::cout << format(tr("Usage: %s"), limber::daemon::usage) << "\n\n"
                  << tr(limber::daemon::description) << "\n\n"
                  << options << "\n"
                  << tr("Control a running limberd with limberctl.") << "\n";
        return 0;
    }
    if (vm.count("version")) {
        std::cout << "limberd " << LIMBER_VERSION << "\n";
        return 0;
    }
    const auto level = limber::adapters::parse_log_level(vm["log-level"].as<std::string>());
    if (!level) {
        std::cerr << "limberd: "
                  << format(tr("unknown log level '%s'; use trace, debug, info, warn, error, critical or off"),
                            vm["log-level"].as<std::string>().c_str())
                  << "\n";
        return 2;
    }

    std::optional<std::string> profile_option;
    if (vm.count("profile")) profile_option = vm["profile"].as<std::string>();
    auto source = limber::adapters::locate_profile(profile_option);
    if (!vm.count("check") && !source.builtin() && source.path.front() != '/') {
        // limberctl runs elsewhere: status, reload errors and the log name the profile by its absolute path.
        std::error_code ec;
        if (auto absolute = std::filesystem::absolute(source.path, ec); !ec) {
            source.path = absolute.lexically_normal().string();
            profile_option = source.path;
        }
    }
    auto loaded = limber::adapters::load_profile(source);
    if (!loaded.profile) {
        std::cerr << loaded.report();
        if (!vm.count("check"))
            std::cerr << "limberd: "
                      << tr("the profile has errors; fix them (limberctl check shows them again) or remove it to "
                            "use the built-in one")
                      << "\n";
        return 1;
    }
    if (vm.count("check")) {
        const auto count = static_cast<unsigned long>(loaded.profile->reminders.size());
        // TRANSLATORS: limberd --check on a valid profile: "PATH: ok, 6 reminders".
        std::cout << format(limber::core::trn("%s: ok, %lu reminder", "%s: ok, %lu reminders", count),
                            loaded.path.c_str(), count)
                  << "\n";
        return 0;
    }

    limber::adapters::setup_logging(*level);
    // The person's own profile is what the lookup finds without --profile and $LIMBER_PROFILE; a run on
    // any other (the demo, someone else's) keeps its state and history apart from theirs.
    const auto own = profile_option || std::getenv("LIMBER_PROFILE") ? limber::adapters::locate_own_profile() : source;
    const std::string state_dir = limber::adapters::StateStore::dir_for(source.path, own.path);
    if (state_dir != limber::adapters::StateStore::default_dir())
        // TRANSLATORS: %1$s is the profile limberd runs, %2$s the person's own (a path, or "the built-in one"),
        // %3$s the directory where this one's state and history are kept.
        spdlog::info("{}", format(tr("%1$s is not your own profile (yours is %2$s): its state and history are kept "
                                     "apart, in %3$s"),
                                  source.path.c_str(), own.builtin() ? tr("the built-in one") : own.path.c_str(),
                                  state_dir.c_str()));
    limber::daemon::Daemon daemon(profile_option, std::move(*loaded.profile), state_dir);
    return daemon.run();
}

/** One line for an exception nothing else caught: in the log once it is set up (the journal), else on stderr. */
int stopped(const char* what) {
    const std::string line = format(
        tr("limberd stopped on an unexpected error: %s; this is a bug in limberd, please report it with this log"),
        what);
    if (auto log = spdlog::get("daemon")) {
        log->critical("{}", line);
        log->flush();
    } else {
        std::cerr << line << "\n";
    }
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    limber::adapters::use_system_locale();
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        return stopped(e.what());
    } catch (...) {
        return stopped("an exception of unknown type");
    }
}
