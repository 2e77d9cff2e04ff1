#pragma once

#include <filesystem>
#include <string>

namespace salespipe::io::warehouse {

/// The whole file as bytes (the counterpart of write_text_file in commit.hpp). Throws
/// Error{Input} located at the path, reading `cannot read: <reason>`, when the file cannot be
/// opened or read (missing, a folder, no permission, an I/O error).
std::string read_text_file(const std::filesystem::path& path);

}  // namespace salespipe::io::warehouse
