#include <limber/core/Diagnostic.hpp>

#include <algorithm>

namespace limber::core {

std::string format(const std::string& path, const Diagnostic& d) {
    return path + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": error: " + d.message;
}

std::string format_all(const std::string& path, std::vector<Diagnostic> diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    std::string out;
    for (const auto& d : diagnostics) out += format(path, d) + "\n";
    return out;
}

}  // namespace limber::core
