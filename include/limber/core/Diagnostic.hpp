#pragma once
// A problem found in a profile, with where it is.

#include <string>
#include <vector>

namespace limber::core {

/** One error: the position in the profile and what is wrong there. */
struct Diagnostic {
    int line = 1;
    int column = 1;
    std::string message;
};

/** "PATH:LINE:COLUMN: error: MESSAGE", the form compilers and editors understand. */
std::string format(const std::string& path, const Diagnostic& d);

/** Every diagnostic, one per line, in source order. */
std::string format_all(const std::string& path, std::vector<Diagnostic> diagnostics);

}  // namespace limber::core
