#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/tables.hpp"

namespace salespipe {

/// Assigns dense codes to strings in first-seen order: an open-addressing hash table over a
/// StringColumn. Joins and group-bys then work on the codes (DESIGN.md section 2).
class Interner {
 public:
  Interner();

  /// The code of text, assigning the next free code when it is new.
  std::uint32_t intern(std::string_view text);
  /// The code of text when it has one.
  std::optional<std::uint32_t> find(std::string_view text) const noexcept;

  std::size_t size() const noexcept { return names_.size(); }
  std::string_view name(std::uint32_t code) const noexcept { return names_[code]; }
  const StringColumn& names() const noexcept { return names_; }

  /// The codes so far as a Dictionary (a copy of the names; the interner stays usable).
  Dictionary dictionary() const;

 private:
  void grow();
  std::size_t probe(std::string_view text, std::uint64_t hash) const noexcept;

  static constexpr std::uint32_t kEmpty = UINT32_MAX;
  StringColumn names_;
  std::vector<std::uint64_t> hashes_;  ///< per code, so growing never rehashes text
  std::vector<std::uint32_t> slots_;   ///< code per slot, kEmpty when free
  std::size_t mask_ = 0;
};

/// 64-bit hash of bytes (XXH3).
std::uint64_t hash_bytes(std::string_view bytes) noexcept;

}  // namespace salespipe
