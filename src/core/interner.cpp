#include "core/interner.hpp"

#include <xxhash.h>

namespace salespipe {

std::uint64_t hash_bytes(std::string_view bytes) noexcept {
  return XXH3_64bits(bytes.data(), bytes.size());
}

Interner::Interner() : slots_(1024, kEmpty), mask_(1023) {}

std::size_t Interner::probe(std::string_view text, std::uint64_t hash) const noexcept {
  std::size_t slot = static_cast<std::size_t>(hash) & mask_;
  while (true) {
    const std::uint32_t code = slots_[slot];
    if (code == kEmpty || (hashes_[code] == hash && names_[code] == text)) {
      return slot;
    }
    slot = (slot + 1) & mask_;
  }
}

std::optional<std::uint32_t> Interner::find(std::string_view text) const noexcept {
  const std::uint32_t code = slots_[probe(text, hash_bytes(text))];
  if (code == kEmpty) {
    return std::nullopt;
  }
  return code;
}

std::uint32_t Interner::intern(std::string_view text) {
  const std::uint64_t hash = hash_bytes(text);
  std::size_t slot = probe(text, hash);
  if (slots_[slot] != kEmpty) {
    return slots_[slot];
  }
  const auto code = static_cast<std::uint32_t>(names_.size());
  names_.push_back(text);
  hashes_.push_back(hash);
  slots_[slot] = code;
  // Keep the load factor at most 1/2 so probe sequences stay short.
  if (names_.size() * 2 > slots_.size()) {
    grow();
  }
  return code;
}

void Interner::grow() {
  std::vector<std::uint32_t> bigger(slots_.size() * 2, kEmpty);
  const std::size_t mask = bigger.size() - 1;
  for (std::uint32_t code = 0; code < names_.size(); ++code) {
    std::size_t slot = static_cast<std::size_t>(hashes_[code]) & mask;
    while (bigger[slot] != kEmpty) {
      slot = (slot + 1) & mask;
    }
    bigger[slot] = code;
  }
  slots_ = std::move(bigger);
  mask_ = mask;
}

Dictionary Interner::dictionary() const { return Dictionary{names_}; }

}  // namespace salespipe
