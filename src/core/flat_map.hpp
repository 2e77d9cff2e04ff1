#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace salespipe {

/// A map from 64-bit keys to 32-bit values: open addressing, linear probing, no deletion.
/// For composite codes such as (product << 32 | customer), where std::unordered_map's node per
/// entry would dominate the join's time and memory.
class FlatMap64 {
 public:
  explicit FlatMap64(std::size_t expected = 16) {
    std::size_t capacity = 16;
    while (capacity < expected * 2) {
      capacity *= 2;
    }
    keys_.assign(capacity, 0);
    values_.assign(capacity, kEmpty);
    mask_ = capacity - 1;
  }

  /// The value slot of key, inserted with `value` when absent. Returns a reference that is
  /// valid until the next insertion.
  std::uint32_t& find_or_insert(std::uint64_t key, std::uint32_t value) {
    if ((size_ + 1) * 2 > keys_.size()) {
      grow();
    }
    std::size_t slot = index(key);
    while (values_[slot] != kEmpty && keys_[slot] != key) {
      slot = (slot + 1) & mask_;
    }
    if (values_[slot] == kEmpty) {
      keys_[slot] = key;
      values_[slot] = value;
      ++size_;
    }
    return values_[slot];
  }

  std::optional<std::uint32_t> find(std::uint64_t key) const noexcept {
    std::size_t slot = index(key);
    while (values_[slot] != kEmpty) {
      if (keys_[slot] == key) {
        return values_[slot];
      }
      slot = (slot + 1) & mask_;
    }
    return std::nullopt;
  }

  std::size_t size() const noexcept { return size_; }

 private:
  static constexpr std::uint32_t kEmpty = UINT32_MAX;

  std::size_t index(std::uint64_t key) const noexcept {
    // A multiplicative mix so that keys differing only in high bits spread over the table.
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 20) & mask_;
  }

  void grow() {
    std::vector<std::uint64_t> old_keys = std::move(keys_);
    std::vector<std::uint32_t> old_values = std::move(values_);
    keys_.assign(old_keys.size() * 2, 0);
    values_.assign(old_keys.size() * 2, kEmpty);
    mask_ = keys_.size() - 1;
    for (std::size_t i = 0; i < old_keys.size(); ++i) {
      if (old_values[i] != kEmpty) {
        std::size_t slot = index(old_keys[i]);
        while (values_[slot] != kEmpty) {
          slot = (slot + 1) & mask_;
        }
        keys_[slot] = old_keys[i];
        values_[slot] = old_values[i];
      }
    }
  }

  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> values_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace salespipe
