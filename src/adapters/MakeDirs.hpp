#pragma once
// mkdir -p with mode 0700 for each directory it creates: state and history are
// the user's own. Internal to src/adapters; no GLib, so HistoryStore (also in
// limberctl) can use it.

#include <sys/stat.h>
#include <cerrno>
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

}  // namespace limber::adapters
