#include "clean/quality.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"

namespace salespipe::clean {

void CleanOptions::validate() const {
  if (default_quantity <= 0) {
    throw Error(ErrorKind::Usage,
                fmt::format("the default quantity must be positive, not {}", default_quantity));
  }
  if (!(sentiment_min < sentiment_max)) {
    throw Error(ErrorKind::Usage,
                fmt::format("the sentiment range [{}, {}] is empty", sentiment_min, sentiment_max));
  }
}

void count_reject(std::array<ReasonQuality, kReasonCount>& by_reason, Reason reason,
                  std::uint64_t line, std::string_view raw) {
  constexpr std::size_t kExamples = 3;
  auto& entry = by_reason[static_cast<std::size_t>(reason)];
  ++entry.count;
  if (entry.examples.size() < kExamples) {
    entry.examples.push_back(fmt::format("line {}: {}", line, printable_raw_value(raw, 80)));
  }
}

}  // namespace salespipe::clean
