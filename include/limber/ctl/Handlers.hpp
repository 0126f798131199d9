#pragma once
// What limberctl's command handlers (src/ctl/Handlers.cpp; declared beside
// their rows in Commands.cpp) and main share: writing to stdout and stderr,
// and the one-line failure. A handler returns the exit status: 0 done, 1
// failed (one line on stderr); a failed bus call throws BusFailure, which
// main() turns into that line.

#include <string>

namespace limber::ctl {

/** Writes to stdout, as is. */
void out(const std::string& text);
/** Writes to stderr, as is. */
void err(const std::string& text);
/** "limberctl: LINE" on stderr; returns 1, the exit status of a failure. */
int failed(const std::string& line);

}  // namespace limber::ctl
