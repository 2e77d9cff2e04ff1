#include "core/interner.hpp"

#include <xxhash.h>

#include <bit>

namespace salespipe {
namespace {

constexpr std::size_t kInitialSlots = 1024;

std::uint32_t tag_of(std::string_view text) noexcept {
  return static_cast<std::uint32_t>(hash_bytes(text) >> 32);
}

}  // namespace

std::uint64_t hash_bytes(std::string_view bytes) noexcept {
  return XXH3_64bits(bytes.data(), bytes.size());
}

Interner::Interner() { grow_to(kInitialSlots); }

std::optional<std::uint32_t> Interner::find(std::string_view text) const noexcept {
  const std::uint32_t tag = tag_of(text);
  for (std::size_t slot = home(tag);; slot = (slot + 1) & mask_) {
    const std::uint64_t entry = slots_[slot];
    if (entry == kEmpty) {
      return std::nullopt;
    }
    const auto code = static_cast<std::uint32_t>(entry);
    if (static_cast<std::uint32_t>(entry >> 32) == tag && names_[code] == text) {
      return code;
    }
  }
}

std::uint32_t Interner::intern(std::string_view text) {
  const std::uint32_t tag = tag_of(text);
  std::size_t slot = home(tag);
  for (;; slot = (slot + 1) & mask_) {
    const std::uint64_t entry = slots_[slot];
    if (entry == kEmpty) {
      break;
    }
    const auto code = static_cast<std::uint32_t>(entry);
    if (static_cast<std::uint32_t>(entry >> 32) == tag && names_[code] == text) {
      return code;
    }
  }
  const auto code = static_cast<std::uint32_t>(names_.size());
  names_.push_back(text);
  slots_[slot] = (static_cast<std::uint64_t>(tag) << 32) | code;
  // Keep the load factor at most 1/2 so probe sequences stay short.
  if (names_.size() * 2 > slots_.size()) {
    grow_to(slots_.size() * 2);
  }
  return code;
}

void Interner::reserve(std::size_t count, std::size_t bytes) {
  names_.reserve(count, bytes);
  const std::size_t wanted = std::bit_ceil(std::max(count * 2, kInitialSlots));
  if (wanted > slots_.size()) {
    grow_to(wanted);
  }
}

std::vector<std::uint32_t> Interner::merge(const Interner& other) {
  std::vector<std::uint32_t> remap(other.size());
  for (std::uint32_t code = 0; code < other.size(); ++code) {
    remap[code] = intern(other.name(code));
  }
  return remap;
}

void Interner::grow_to(std::size_t slot_count) {
  // The home slot comes from the tag's top bits, so the stored tags are enough to re-place
  // every entry: no text is read or hashed again.
  std::vector<std::uint64_t> old = std::move(slots_);
  slots_.assign(slot_count, kEmpty);
  mask_ = slot_count - 1;
  shift_ = 32 - static_cast<unsigned>(std::countr_zero(slot_count));
  for (const std::uint64_t entry : old) {
    if (entry == kEmpty) {
      continue;
    }
    std::size_t slot = home(static_cast<std::uint32_t>(entry >> 32));
    while (slots_[slot] != kEmpty) {
      slot = (slot + 1) & mask_;
    }
    slots_[slot] = entry;
  }
}

Dictionary Interner::dictionary() const { return Dictionary{names_}; }

StringColumn Interner::take_names() {
  StringColumn names = std::move(names_);
  names_ = StringColumn();
  slots_.clear();
  grow_to(kInitialSlots);
  return names;
}

}  // namespace salespipe
