#include <limber/adapters/DataDirs.hpp>

#include <system_error>
#include <vector>

namespace limber::adapters {

std::filesystem::path find_data_dir(std::string_view subdir, std::string_view probe) {
    namespace fs = std::filesystem;
    std::vector<fs::path> candidates;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        candidates.push_back(exe.parent_path() / "share" / subdir);
        candidates.push_back(exe.parent_path().parent_path() / "share" / subdir);
    }
    candidates.push_back(fs::path(LIMBER_DATADIR) / subdir);
    for (const auto& dir : candidates)
        if (fs::is_regular_file(dir / probe, ec)) return fs::weakly_canonical(dir, ec);
    return {};
}

}  // namespace limber::adapters
