#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/tables.hpp"

namespace salespipe {

/// Assigns dense codes to strings in first-seen order: an open-addressing hash table over a
/// StringColumn. Joins and group-bys then work on the codes (DESIGN.md section 2).
///
/// Each slot holds the top 32 bits of the text's hash beside its code, so a probe touches the
/// text only when those bits match: at millions of ids every touch is a cache miss.
///
/// Ids written as plain decimal numbers (no sign, no leading zero) close above the first such id
/// are found by value instead, in a table indexed by number: sale and order ids are mostly
/// consecutive numbers, and that table is walked nearly in order where a hash table of millions
/// of entries is hit at random. Which table holds an id never changes the codes.
class Interner {
 public:
  Interner();

  /// The code of text, assigning the next free code when it is new.
  std::uint32_t intern(std::string_view text);
  /// Interns each of texts in order, appending its code to codes: the same codes as intern()
  /// one by one, but the slots and names of later texts are fetched from memory while earlier
  /// ones are looked up, which is what an interner of millions of ids waits on.
  void intern_all(std::span<const std::string_view> texts, std::vector<std::uint32_t>& codes);
  /// The code of text when it has one.
  std::optional<std::uint32_t> find(std::string_view text) const noexcept;

  /// Makes room for `count` distinct strings of `bytes` bytes in total without regrowing.
  void reserve(std::size_t count, std::size_t bytes);

  /// Interns every string of `other` in its code order and returns each one's code here
  /// (remap[other_code]). Merging the interners of inputs read in parallel this way gives the
  /// codes one interner would have given reading them one after the other.
  std::vector<std::uint32_t> merge(const Interner& other);

  std::size_t size() const noexcept { return names_.size(); }
  std::string_view name(std::uint32_t code) const noexcept { return names_[code]; }
  const StringColumn& names() const noexcept { return names_; }

  /// The codes so far as a Dictionary (a copy of the names; the interner stays usable).
  Dictionary dictionary() const;
  /// The names, leaving this interner empty (for handing millions of ids over without a copy).
  StringColumn take_names();

 private:
  /// The slot holding text, or the free slot where it would go.
  std::size_t probe(std::string_view text, std::uint32_t tag) const noexcept;
  std::uint32_t intern_tagged(std::string_view text, std::uint32_t tag);
  /// Where a numeric id sits in by_number_ (from the first numeric id on), or kNotNumbered.
  std::size_t number_index(std::string_view text) const noexcept;
  /// number_index, taking text as where the numbers start when it is the first numeric id.
  std::size_t start_numbering(std::string_view text) noexcept;
  /// The code of text, whose number_index is index; assigned when new.
  std::uint32_t intern_numbered(std::string_view text, std::size_t index);
  std::uint32_t new_code(std::string_view text);
  void grow_to(std::size_t slot_count);
  std::size_t home(std::uint32_t tag) const noexcept {
    return static_cast<std::size_t>(tag) >> shift_;
  }

  static constexpr std::uint64_t kEmpty = UINT64_MAX;
  static constexpr std::size_t kNotNumbered = SIZE_MAX;
  StringColumn names_;
  std::vector<std::uint32_t> by_number_;  ///< code + 1 of the id first_number_ + i; 0 when none
  std::uint64_t first_number_ = 0;
  bool numbered_ = false;             ///< whether a numeric id was seen (first_number_ set)
  std::size_t hashed_ = 0;            ///< ids held by the hash table
  std::vector<std::uint64_t> slots_;  ///< tag << 32 | code, kEmpty when free
  std::size_t mask_ = 0;
  unsigned shift_ = 0;  ///< home slot = tag >> shift_ (the tag's top bits)
};

/// 64-bit hash of bytes (XXH3).
std::uint64_t hash_bytes(std::string_view bytes) noexcept;

}  // namespace salespipe
