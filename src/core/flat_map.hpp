#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace salespipe {

/// A map from 64-bit keys to 32-bit values: open addressing, linear probing, no deletion.
/// For composite codes such as (product << 32 | customer), where std::unordered_map's node per
/// entry would dominate the join's time and memory. A key and its value share a slot, so a
/// lookup in a table far bigger than the caches costs one miss, not two.
class FlatMap64 {
 public:
  explicit FlatMap64(std::size_t expected = 16) {
    std::size_t capacity = 16;
    while (too_full(expected, capacity)) {
      capacity *= 2;
    }
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
  }

  /// The value slot of key, inserted with `value` when absent. Returns a reference that is
  /// valid until the next insertion.
  std::uint32_t& find_or_insert(std::uint64_t key, std::uint32_t value) {
    if (too_full(size_ + 1, slots_.size())) {
      grow();
    }
    std::size_t slot = index(key);
    while (slots_[slot].value != kEmpty && slots_[slot].key() != key) {
      slot = (slot + 1) & mask_;
    }
    if (slots_[slot].value == kEmpty) {
      slots_[slot] = Slot::of(key, value);
      ++size_;
    }
    return slots_[slot].value;
  }

  std::optional<std::uint32_t> find(std::uint64_t key) const noexcept {
    for (std::size_t slot = index(key); slots_[slot].value != kEmpty; slot = (slot + 1) & mask_) {
      if (slots_[slot].key() == key) {
        return slots_[slot].value;
      }
    }
    return std::nullopt;
  }

  /// Starts loading key's first slot into the cache, so a find or insert of it a little later
  /// does not wait for memory: in a table far bigger than the caches, issuing these a few keys
  /// ahead overlaps the misses of consecutive lookups.
  void prefetch(std::uint64_t key) const noexcept { __builtin_prefetch(&slots_[index(key)]); }

  /// Calls visit(key, value) for every entry, in slot order (not insertion order).
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const Slot& slot : slots_) {
      if (slot.value != kEmpty) {
        visit(slot.key(), slot.value);
      }
    }
  }

  std::size_t size() const noexcept { return size_; }

  /// The key's mixed bits. The table's slot comes from the middle bits, so the top bits are
  /// free to split keys into partitions that each fill a table of their own evenly.
  static std::uint64_t mix(std::uint64_t key) noexcept { return key * 0x9E3779B97F4A7C15ull; }

 private:
  static constexpr std::uint32_t kEmpty = UINT32_MAX;
  // Three 32-bit words, so a slot takes 12 bytes rather than a padded 16: the join's map of
  // millions of (product, customer) pairs is one of the run's largest allocations.
  struct Slot {
    std::uint32_t key_low = 0;
    std::uint32_t key_high = 0;
    std::uint32_t value = kEmpty;
    std::uint64_t key() const noexcept {
      return (static_cast<std::uint64_t>(key_high) << 32) | key_low;
    }
    static Slot of(std::uint64_t key, std::uint32_t value) noexcept {
      return Slot{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32), value};
    }
  };

  /// Linear probing stays short up to a load of 3/4.
  static bool too_full(std::size_t entries, std::size_t capacity) noexcept {
    return entries * 4 > capacity * 3;
  }

  std::size_t index(std::uint64_t key) const noexcept {
    // A multiplicative mix so that keys differing only in high bits spread over the table.
    return static_cast<std::size_t>(mix(key) >> 20) & mask_;
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& entry : old) {
      if (entry.value != kEmpty) {
        std::size_t slot = index(entry.key());
        while (slots_[slot].value != kEmpty) {
          slot = (slot + 1) & mask_;
        }
        slots_[slot] = entry;
      }
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace salespipe
