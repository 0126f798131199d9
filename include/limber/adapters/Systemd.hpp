#pragma once
// The two systemd protocols limberd speaks, without linking libsystemd (which,
// with gcrypt, zstd, lz4 and lzma behind it, would cost an idle limberd about
// 1 MiB of resident memory for two tiny, documented, stable protocols).

#include <string_view>

namespace limber::adapters {

/** sd_notify(3): sends e.g. "READY=1" to $NOTIFY_SOCKET; does nothing outside systemd. */
void notify_systemd(std::string_view state) noexcept;

/** true when standard error is connected to the journal ($JOURNAL_STREAM matches it). */
bool stderr_is_journal() noexcept;

}  // namespace limber::adapters
