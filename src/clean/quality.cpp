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

void RecordFaults::add(std::string_view field, Reason reason, std::string_view raw,
                       std::string_view what) {
  if (field_.empty()) {
    field_ = field;
    reason_ = reason;
    raw_ = raw;
  } else {
    message_ += "; ";
  }
  message_ += fmt::format("{}: {}", field, what);
}

Reject RecordFaults::take_reject(std::string_view source, std::uint64_t line,
                                 std::array<ReasonQuality, kReasonCount>& by_reason) {
  count_reject(by_reason, reason_, line, raw_);
  return Reject{source, line, field_, printable_raw_value(raw_), reason_, std::move(message_)};
}

void append_rejects(std::vector<Reject>& to, std::vector<Reject>&& from) {
  if (to.empty()) {
    to = std::move(from);
  } else {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  }
  from = {};
}

}  // namespace salespipe::clean
