#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace salespipe::io::warehouse {

/// Size and XXH3-128 fingerprint of a file, for the run manifest.
struct FileFingerprint {
  std::uint64_t size = 0;
  std::string xxh3_128;  ///< 32 lowercase hex digits
};

/// Reads the whole file in large blocks. Throws Error{Input} when it cannot be read.
FileFingerprint fingerprint_file(const std::filesystem::path& path);

}  // namespace salespipe::io::warehouse
