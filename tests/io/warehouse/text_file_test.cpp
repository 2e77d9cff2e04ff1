#include "io/warehouse/text_file.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "io/warehouse/commit.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::warehouse {
namespace {

using salespipe::testing::TempDir;
using salespipe::testing::write_file;

Error read_error(const std::filesystem::path& path) {
  try {
    read_text_file(path);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "expected an error reading " << path;
  return Error(ErrorKind::Internal, "no error");
}

TEST(ReadTextFile, ReturnsEveryByte) {
  TempDir dir;
  // Larger than one read, with NUL and CR bytes and no final newline.
  std::string bytes;
  for (int i = 0; i < 200'000; ++i) {
    bytes += static_cast<char>(i % 251);
  }
  bytes += "\r\nend";
  write_file(dir / "big.bin", bytes);
  EXPECT_EQ(read_text_file(dir / "big.bin"), bytes);
}

TEST(ReadTextFile, EmptyFileIsEmptyText) {
  TempDir dir;
  write_file(dir / "empty.txt", "");
  EXPECT_EQ(read_text_file(dir / "empty.txt"), "");
}

TEST(ReadTextFile, ReadsBackWhatWriteTextFileWrote) {
  TempDir dir;
  write_text_file(dir / "manifest.json", "{\n  \"k\": 2\n}\n");
  EXPECT_EQ(read_text_file(dir / "manifest.json"), "{\n  \"k\": 2\n}\n");
}

TEST(ReadTextFile, MissingFileIsInputErrorAtThePath) {
  TempDir dir;
  const auto path = dir / "absent.json";
  const Error error = read_error(path);
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_EQ(error.location().file, path.string());
  EXPECT_EQ(std::string(error.what()), path.string() + ": cannot read: No such file or directory");
}

TEST(ReadTextFile, FolderIsInputError) {
  TempDir dir;
  const Error error = read_error(dir.path());
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_EQ(std::string(error.what()), dir.path().string() + ": cannot read: Is a directory");
}

}  // namespace
}  // namespace salespipe::io::warehouse
