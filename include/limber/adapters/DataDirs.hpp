#pragma once
// Where limber's installed data is (icons, translations): beside the running executable first, so a
// bare build tree uses its own (build/limberd finds build/share/...), as does a relocated install
// (PREFIX/bin/limberd finds PREFIX/share/...); then the data directory compiled in.

#include <filesystem>
#include <string_view>

namespace limber::adapters {

/**
 * The first of EXE_DIR/share/SUBDIR, EXE_DIR/../share/SUBDIR and DATADIR/SUBDIR that holds the regular
 * file `probe` (relative to it), made canonical; empty when none does.
 */
std::filesystem::path find_data_dir(std::string_view subdir, std::string_view probe);

}  // namespace limber::adapters
