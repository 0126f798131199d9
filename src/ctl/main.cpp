// limberctl: controls limberd over the D-Bus session bus.
// Exit status: 0 done, 1 failed (one line on stderr), 2 usage error.
// What each command does is the handler column of its table (Commands.cpp, Handlers.cpp).

#include "BusClient.hpp"

#include <limber/adapters/Locale.hpp>
#include <limber/bus/Protocol.hpp>
#include <limber/core/Translate.hpp>
#include <limber/ctl/Commands.hpp>
#include <limber/ctl/Handlers.hpp>
#include <limber/ctl/Output.hpp>

#include <ctime>
#include <string>
#include <vector>

#ifndef LIMBER_VERSION
#define LIMBER_VERSION "0.0.0"
#endif

namespace ctl = limber::ctl;
using limber::core::format;
using limber::core::tr;

namespace {

int run(int argc, char** argv) try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const std::time_t now = std::time(nullptr);
    const auto parsed = ctl::parse(args, now);
    const auto& q = parsed.request;
    if (!parsed.ok()) {
        const std::string who = q.command != nullptr ? "limberctl " + std::string(q.command->name) : "limberctl";
        // TRANSLATORS: after a usage error; %s is "limberctl" or "limberctl COMMAND".
        ctl::err(who + ": " + parsed.error + "\n" + format(tr("Try '%s --help'."), who.c_str()) + "\n");
        return 2;
    }
    if (q.version) {
        ctl::out("limberctl " LIMBER_VERSION "\n");
        return 0;
    }
    if (q.help) {
        ctl::out(q.command != nullptr ? ctl::command_help(*q.command) : ctl::overview_help());
        return 0;
    }
    try {
        return q.command->handler(q, now);
    } catch (const ctl::BusFailure& failure) {
        if (q.command->name == "__reminders") return 1;  // completions stay quiet
        if (failure.remote_name() == limber::bus::error::invalid_profile) {
            // Every PATH:LINE:COLUMN: error line as limberd found them, then what it means.
            std::string lines = failure.what();
            if (!lines.empty() && lines.back() != '\n') lines += '\n';
            if (lines != "\n") ctl::err(lines);
            return ctl::failed(tr("the profile has errors; limberd keeps the one it had"));
        }
        return ctl::failed(failure.what());
    }
} catch (const std::exception& e) {
    // Out of memory, or a bug: still one line and exit 1, never an abort.
    return ctl::failed(format(tr("internal error: %s"), e.what()));
}

}  // namespace

int main(int argc, char** argv) {
    limber::adapters::use_system_locale();
    ctl::keep_standard_streams();
    // Output that did not reach stdout fails the command, even one that had nothing else go wrong.
    return ctl::finish_output(run(argc, argv));
}
