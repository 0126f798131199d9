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
/** First thing in main: a closed stdin, stdout or stderr is held by /dev/null read-only, so nothing
 * else opened takes its place and writes to it fail as they should. */
void keep_standard_streams();
/** Writing stdout failed with errno `error`: "limberctl: cannot write the output: REASON" on
 * stderr (nothing for EPIPE, a reader that left); returns 1. */
int output_failed(int error);
/**
 * Last thing in main: flushes stdout and stderr and returns the exit status. Output that could not
 * be written (a full disk, a closed stdout) fails a command that would have succeeded: 1, with
 * "limberctl: cannot write the output: REASON" on stderr (quietly for a reader that left, EPIPE).
 */
int finish_output(int status);

}  // namespace limber::ctl
