#include "core/interner.hpp"

#include <xxhash.h>

#include <algorithm>
#include <bit>

#include "core/text.hpp"

namespace salespipe {
namespace {

constexpr std::size_t kInitialSlots = 1024;

// The table by number covers at least this many numbers, and at most four per id beyond that:
// ids further apart than that on average go to the hash table, so its memory stays bounded.
constexpr std::size_t kMinNumbered = std::size_t{1} << 16;
constexpr std::size_t kNumbersPerId = 4;

/// The value of an id written as a plain decimal number: digits only, no leading zero, at most
/// 19 of them (so it fits). Anything else (even "007", which is not the id "7") has none.
std::optional<std::uint64_t> number_of(std::string_view text) noexcept {
  if (text.empty() || text.size() > 19 || (text[0] == '0' && text.size() > 1)) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (const char c : text) {
    const auto digit = static_cast<unsigned>(c - '0');
    if (digit > 9) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  return value;
}

std::uint32_t tag_of(std::string_view text) noexcept {
  return static_cast<std::uint32_t>(hash_bytes(text) >> 32);
}

}  // namespace

std::uint64_t hash_bytes(std::string_view bytes) noexcept {
  return XXH3_64bits(bytes.data(), bytes.size());
}

Interner::Interner() { grow_to(kInitialSlots); }

std::size_t Interner::probe(std::string_view text, std::uint32_t tag) const noexcept {
  std::size_t slot = home(tag);
  for (; slots_[slot] != kEmpty; slot = (slot + 1) & mask_) {
    const std::uint64_t entry = slots_[slot];
    if (static_cast<std::uint32_t>(entry >> 32) == tag &&
        equal_bytes(names_[static_cast<std::uint32_t>(entry)], text)) {
      break;
    }
  }
  return slot;
}

std::size_t Interner::number_index(std::string_view text) const noexcept {
  const std::optional<std::uint64_t> number = number_of(text);
  if (!number || !numbered_ || *number < first_number_ || *number - first_number_ >= kNotNumbered) {
    return kNotNumbered;
  }
  return static_cast<std::size_t>(*number - first_number_);
}

std::size_t Interner::start_numbering(std::string_view text) noexcept {
  if (numbered_) {
    return number_index(text);
  }
  const std::optional<std::uint64_t> number = number_of(text);
  if (!number) {
    return kNotNumbered;
  }
  numbered_ = true;
  first_number_ = *number;
  return 0;
}

std::optional<std::uint32_t> Interner::find(std::string_view text) const noexcept {
  const std::size_t index = number_index(text);
  if (index < by_number_.size() && by_number_[index] != 0) {
    return by_number_[index] - 1;
  }
  const std::uint64_t entry = slots_[probe(text, tag_of(text))];
  if (entry == kEmpty) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(entry);
}

std::uint32_t Interner::intern(std::string_view text) {
  const std::size_t index = start_numbering(text);
  if (index != kNotNumbered) {
    return intern_numbered(text, index);
  }
  return intern_tagged(text, tag_of(text));
}

std::uint32_t Interner::new_code(std::string_view text) {
  const auto code = static_cast<std::uint32_t>(names_.size());
  names_.push_back(text);
  return code;
}

std::uint32_t Interner::intern_numbered(std::string_view text, std::size_t index) {
  if (index >= by_number_.size()) {
    const std::size_t limit = std::max(kMinNumbered, kNumbersPerId * (names_.size() + 1));
    if (index < limit) {
      by_number_.resize(std::min(limit, std::max(index + 1, by_number_.size() * 2)), 0);
    }
  }
  if (index >= by_number_.size()) {
    return intern_tagged(text, tag_of(text));
  }
  if (by_number_[index] != 0) {
    return by_number_[index] - 1;
  }
  if (hashed_ > 0) {
    // The table did not reach this number when the id first came, so the id went to the hash
    // table then.
    const std::uint64_t entry = slots_[probe(text, tag_of(text))];
    if (entry != kEmpty) {
      return static_cast<std::uint32_t>(entry);
    }
  }
  const std::uint32_t code = new_code(text);
  by_number_[index] = code + 1;
  return code;
}

void Interner::intern_all(std::span<const std::string_view> texts,
                          std::vector<std::uint32_t>& codes) {
  // A pipeline of prefetches: the home slot of the text kSlotAhead places on, then the offset of
  // the name that slot holds, then that name's bytes; by the time a text is looked up, what it
  // compares against is in the cache. Ids found by number need none of it.
  constexpr std::size_t kSlotAhead = 12;
  constexpr std::size_t kOffsetAhead = 8;
  constexpr std::size_t kBytesAhead = 4;
  constexpr std::size_t kRing = 16;  // power of two above kSlotAhead
  std::uint32_t tags[kRing];
  std::size_t numbers[kRing];  // number_index of each text ahead
  const std::size_t n = texts.size();
  const auto look_ahead = [&](std::size_t i) {
    numbers[i % kRing] = start_numbering(texts[i]);
    if (numbers[i % kRing] == kNotNumbered) {
      tags[i % kRing] = tag_of(texts[i]);
      __builtin_prefetch(&slots_[home(tags[i % kRing])]);
    }
  };
  const auto held_code = [&](std::size_t i) -> std::optional<std::uint32_t> {
    if (numbers[i % kRing] != kNotNumbered) {
      return std::nullopt;
    }
    const std::uint32_t tag = tags[i % kRing];
    const std::uint64_t entry = slots_[home(tag)];
    if (entry == kEmpty || static_cast<std::uint32_t>(entry >> 32) != tag) {
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(entry);
  };
  for (std::size_t i = 0; i < std::min(n, kSlotAhead); ++i) {
    look_ahead(i);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kSlotAhead < n) {
      look_ahead(i + kSlotAhead);
    }
    if (i + kOffsetAhead < n) {
      if (const auto code = held_code(i + kOffsetAhead)) {
        __builtin_prefetch(names_.offset_address(*code));
      }
    }
    if (i + kBytesAhead < n) {
      if (const auto code = held_code(i + kBytesAhead)) {
        __builtin_prefetch(names_.bytes_address(*code));
      }
    }
    const std::size_t number = numbers[i % kRing];
    codes.push_back(number != kNotNumbered ? intern_numbered(texts[i], number)
                                           : intern_tagged(texts[i], tags[i % kRing]));
  }
}

std::uint32_t Interner::intern_tagged(std::string_view text, std::uint32_t tag) {
  const std::size_t slot = probe(text, tag);
  if (slots_[slot] != kEmpty) {
    return static_cast<std::uint32_t>(slots_[slot]);
  }
  const std::uint32_t code = new_code(text);
  ++hashed_;
  slots_[slot] = (static_cast<std::uint64_t>(tag) << 32) | code;
  // Keep the load factor at most 1/2 so probe sequences stay short.
  if (hashed_ * 2 > slots_.size()) {
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
  by_number_ = {};
  numbered_ = false;
  hashed_ = 0;
  return names;
}

}  // namespace salespipe
