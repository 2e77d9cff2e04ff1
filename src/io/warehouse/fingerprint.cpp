#include "io/warehouse/fingerprint.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "core/error.hpp"

namespace salespipe::io::warehouse {

FileFingerprint fingerprint_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(ErrorKind::Input, Location{path.string(), 0, 0},
                fmt::format("cannot read: {}", std::strerror(errno)));
  }
  const std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(),
                                                                       &XXH3_freeState);
  XXH3_128bits_reset(state.get());
  std::vector<char> block(4u << 20);
  FileFingerprint result;
  while (true) {
    const ssize_t got = ::read(fd, block.data(), block.size());
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int saved = errno;
      ::close(fd);
      throw Error(ErrorKind::Input, Location{path.string(), 0, 0},
                  fmt::format("cannot read: {}", std::strerror(saved)));
    }
    if (got == 0) {
      break;
    }
    XXH3_128bits_update(state.get(), block.data(), static_cast<std::size_t>(got));
    result.size += static_cast<std::uint64_t>(got);
  }
  ::close(fd);
  const XXH128_hash_t hash = XXH3_128bits_digest(state.get());
  result.xxh3_128 = fmt::format("{:016x}{:016x}", hash.high64, hash.low64);
  return result;
}

}  // namespace salespipe::io::warehouse
