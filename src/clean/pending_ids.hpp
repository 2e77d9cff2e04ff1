#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/interner.hpp"

namespace salespipe::clean {

/// Cleaned ids of one column waiting to be interned together: Interner::intern_all() fetches
/// the slots of thousands of ids at once, several times faster than one intern() per record
/// when the table is far bigger than the caches. Codes come out in the order ids went in.
class PendingIds {
 public:
  static constexpr std::size_t kBatch = 4096;

  void add(std::string_view id) {
    bytes_.append(id);
    ends_.push_back(bytes_.size());
  }
  bool full() const noexcept { return ends_.size() >= kBatch; }

  /// Interns the pending ids in order, appends their codes to codes and empties the batch.
  void flush(Interner& interner, std::vector<std::uint32_t>& codes) {
    views_.clear();
    std::size_t begin = 0;
    for (const std::size_t end : ends_) {
      views_.emplace_back(bytes_.data() + begin, end - begin);
      begin = end;
    }
    interner.intern_all(views_, codes);
    bytes_.clear();
    ends_.clear();
  }

 private:
  std::string bytes_;
  std::vector<std::size_t> ends_;
  std::vector<std::string_view> views_;
};

}  // namespace salespipe::clean
