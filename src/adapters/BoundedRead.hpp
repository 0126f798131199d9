#pragma once
// Reading a small file limber did not necessarily write (a profile, the saved state) without
// trusting it: only a regular file, never more than a limit, on a descriptor the caller opened
// as it needs (O_NONBLOCK, so a FIFO never waits; O_NOFOLLOW where a link is refused). Internal to
// src/adapters; no GLib, so the profile loader (also in limberctl) can use it.

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>

namespace limber::adapters {

/** A file descriptor closed when it goes out of scope; -1 for none. */
struct Descriptor {
    int fd;
    explicit Descriptor(int opened) : fd(opened) {}
    ~Descriptor() {
        if (fd >= 0) ::close(fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    explicit operator bool() const noexcept { return fd >= 0; }
};

/** What read_bounded() read, or why not. */
struct BoundedRead {
    enum class Outcome { read, failed, not_regular, too_big };
    Outcome outcome = Outcome::failed;
    std::string text;  ///< the whole file, for `read`
    int error = 0;     ///< errno, for `failed`
    mode_t mode = 0;   ///< what the file is, for `not_regular`
};

/**
 * The whole of the regular file open as `fd`, if it holds at most `limit` bytes. Its size is
 * checked first, and one byte more than `limit` is never read: a file that grows while it is read,
 * or whose size the kernel does not know, is `too_big` all the same.
 */
inline BoundedRead read_bounded(int fd, std::size_t limit) {
    BoundedRead out;
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        out.error = errno;
        return out;
    }
    if (!S_ISREG(st.st_mode)) {
        out.outcome = BoundedRead::Outcome::not_regular;
        out.mode = st.st_mode;
        return out;
    }
    if (static_cast<std::uintmax_t>(st.st_size) > limit) {
        out.outcome = BoundedRead::Outcome::too_big;
        return out;
    }
    char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            out.text.append(buffer, static_cast<std::size_t>(n));
            if (out.text.size() > limit) {
                out.outcome = BoundedRead::Outcome::too_big;
                out.text.clear();
                return out;
            }
        } else if (n == 0) {
            out.outcome = BoundedRead::Outcome::read;
            return out;
        } else if (errno != EINTR) {
            out.error = errno;
            return out;
        }
    }
}

}  // namespace limber::adapters
