#pragma once
// mkdir -p with mode 0700 for each directory it creates: state and history are
// the user's own; and the check that a directory is the user's own (theirs,
// not a symbolic link, not writable by anyone else) before limber reads or
// writes its files there. Internal to src/adapters; no GLib, so HistoryStore
// (also in limberctl) can use it.

#include <limber/core/Translate.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>

namespace limber::adapters {

inline bool make_dirs(const std::string& dir) {
    std::string partial;
    std::stringstream parts(dir);
    std::string part;
    if (!dir.empty() && dir.front() == '/') partial = "/";
    while (std::getline(parts, part, '/')) {
        if (part.empty()) continue;
        partial += part + "/";
        if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
    return true;
}

/**
 * What makes `dir` (as lstat or fstat describes it in `st`) no place for the person's own files,
 * as one line that says what to do; "" when it is a directory of theirs that only they can write
 * to. Another local user who prepared it could otherwise read the state or have limber write
 * through a link of theirs.
 */
inline std::string foreign_dir(const std::string& dir, const struct stat& st) {
    const char* path = dir.c_str();
    if (S_ISLNK(st.st_mode))
        // TRANSLATORS: both %s are the same directory; "mkdir -m 700 %s" is a command to run, kept as it is.
        return core::format(core::tr("%s is a symbolic link, not a directory of your own: replace it with a "
                                     "directory (mkdir -m 700 %s)"),
                            path, path);
    if (!S_ISDIR(st.st_mode))
        return core::format(core::tr("%s is not a directory: move it away, and limber creates the directory"), path);
    if (st.st_uid != ::geteuid())
        // TRANSLATORS: %1$s is a directory, %2$s the number of the user it belongs to; XDG_STATE_HOME stays as it is.
        return core::format(core::tr("%1$s belongs to user %2$s, not to you: remove it (limber creates its own) or set "
                                     "XDG_STATE_HOME to a directory of yours"),
                            path, std::to_string(st.st_uid).c_str());
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        // TRANSLATORS: %1$s is a directory, %2$s its mode (e.g. 0777); "chmod go-w %3$s" is a command to run, kept as
        // it is (%3$s is the same directory).
        return core::format(core::tr("%1$s can be written by other users (mode %2$s): run chmod go-w %3$s"), path, mode,
                            path);
    }
    return {};
}

/** `dir` checked with lstat (for SQLite, which opens by path): "" if it is the person's own, else foreign_dir's line.
 */
inline std::string check_own_dir(const std::string& dir) {
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0)
        // TRANSLATORS: %1$s is a directory, %2$s the system's reason.
        return core::format(core::tr("cannot look at %1$s: %2$s"), dir.c_str(), std::strerror(errno));
    return foreign_dir(dir, st);
}

/**
 * Opens directory `dir` without following a link and checks the directory it opened (fstat, so it
 * cannot be swapped after the check): its descriptor for openat(), or -1 with `problem` set and
 * errno kept (ENOENT: there is no such directory yet).
 */
inline int open_own_dir(const std::string& dir, std::string& problem) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st {};
    problem.clear();
    if (fd < 0) {
        const int error = errno;
        // A link or a file where the directory belongs: say which.
        if ((error == ELOOP || error == ENOTDIR) && ::lstat(dir.c_str(), &st) == 0) problem = foreign_dir(dir, st);
        if (problem.empty())
            problem = core::format(core::tr("cannot open %1$s: %2$s"), dir.c_str(), std::strerror(error));
        errno = error;
        return -1;
    }
    if (::fstat(fd, &st) != 0) {
        problem = core::format(core::tr("cannot look at %1$s: %2$s"), dir.c_str(), std::strerror(errno));
    } else {
        problem = foreign_dir(dir, st);
    }
    if (problem.empty()) return fd;
    ::close(fd);
    errno = EPERM;
    return -1;
}

}  // namespace limber::adapters
