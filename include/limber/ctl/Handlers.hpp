#pragma once
// What each of limberctl's commands does: the handler column of the command
// table (Commands.cpp names one per row). Defined in src/ctl/Handlers.cpp,
// they talk to limberd over the bus or read files; each returns the exit
// status: 0 done, 1 failed (one line on stderr). A failed bus call throws
// BusFailure, which main() turns into that line.

#include <ctime>
#include <string>

namespace limber::ctl {

struct Request;

namespace handle {
int status(const Request& q, std::time_t now);
int pause(const Request& q, std::time_t now);
int resume(const Request& q, std::time_t now);
int snooze(const Request& q, std::time_t now);
int done(const Request& q, std::time_t now);
int skip(const Request& q, std::time_t now);
int trigger(const Request& q, std::time_t now);
int reload(const Request& q, std::time_t now);
int schedule(const Request& q, std::time_t now);
int check(const Request& q, std::time_t now);
int stats(const Request& q, std::time_t now);
int drank(const Request& q, std::time_t now);
int watch(const Request& q, std::time_t now);
int init(const Request& q, std::time_t now);
int help(const Request& q, std::time_t now);
int completions(const Request& q, std::time_t now);
int reminder_names(const Request& q, std::time_t now);
int interface_xml(const Request& q, std::time_t now);
}  // namespace handle

/** Writes to stdout, as is. */
void out(const std::string& text);
/** Writes to stderr, as is. */
void err(const std::string& text);
/** "limberctl: LINE" on stderr; returns 1, the exit status of a failure. */
int failed(const std::string& line);

}  // namespace limber::ctl
