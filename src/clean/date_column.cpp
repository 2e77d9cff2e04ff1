#include "clean/date_column.hpp"

#include <algorithm>
#include <cstring>

#include "core/date.hpp"

namespace salespipe::clean {
namespace {

/// A quick hash of a short date text, inline: first and last eight bytes (overlapping when
/// shorter than sixteen), or the bytes one by one below eight.
std::uint64_t date_text_hash(std::string_view text) noexcept {
  constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
  std::uint64_t hash = text.size();
  if (text.size() >= 8) {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::memcpy(&first, text.data(), 8);
    std::memcpy(&last, text.data() + text.size() - 8, 8);
    hash ^= (first * kMultiplier) ^ ((last ^ (last >> 29)) * (kMultiplier | 2));
  } else {
    for (const char c : text) {
      hash = (hash ^ static_cast<unsigned char>(c)) * kMultiplier;
    }
  }
  return (hash ^ (hash >> 32)) * kMultiplier;
}

}  // namespace

ParsedDate DateColumn::observe(std::string_view text) {
  Remembered* slot = nullptr;
  if (text.size() <= sizeof Remembered::text) {
    slot = &remembered_[(date_text_hash(text) >> 40) % kRememberedSlots];
    if (slot->size == text.size() && text == std::string_view(slot->text, slot->size)) {
      resolver_.observe(slot->parsed);
      return slot->parsed;
    }
  }
  const ParsedDate parsed = parse_date(text);
  if (parsed.status != CellStatus::Ok) {
    return parsed;
  }
  if (slot != nullptr && !text.empty()) {
    slot->size = static_cast<std::uint8_t>(text.size());
    std::copy(text.begin(), text.end(), slot->text);
    slot->parsed = parsed;
  }
  resolver_.observe(parsed);
  if (parsed.ambiguous) {
    if (ambiguous_examples_.size() < kMaxTrackedAmbiguous) {
      ambiguous_examples_.try_emplace(std::string(text), parsed);
    }
  } else if (unambiguous_examples_.size() < kExamplesPerStep &&
             std::find(unambiguous_examples_.begin(), unambiguous_examples_.end(), text) ==
                 unambiguous_examples_.end()) {
    unambiguous_examples_.emplace_back(text);
  }
  return parsed;
}

std::vector<Date> DateColumn::resolve(const std::vector<PendingDate>& pending,
                                      DateColumnQuality& quality) {
  std::vector<Date> dates;
  dates.reserve(pending.size());
  for (const PendingDate& value : pending) {
    const auto resolved = resolver_.resolve(value.parsed());
    ++quality.by_step[static_cast<std::size_t>(resolved.step)];
    dates.push_back(resolved.date);
  }

  if (const auto min = resolver_.min_unambiguous()) {
    quality.min_unambiguous = format_date(*min);
    quality.max_unambiguous = format_date(*resolver_.max_unambiguous());
  }
  for (const char separator : {'-', '/', '.'}) {
    const EvidenceCounts counts = resolver_.evidence(separator);
    if (counts.day_first + counts.month_first > 0) {
      quality.evidence.push_back({std::string(1, separator), counts.day_first, counts.month_first});
    }
  }
  const EvidenceCounts all = resolver_.evidence();
  quality.evidence.push_back({"all", all.day_first, all.month_first});

  // Examples: sorted raw values so the report is the same from run to run.
  auto& unambiguous = quality.examples[static_cast<std::size_t>(ResolutionStep::Unambiguous)];
  for (const auto& raw : unambiguous_examples_) {
    unambiguous.push_back({raw, format_date(resolver_.resolve(parse_date(raw)).date)});
  }
  std::vector<std::string> raws;
  raws.reserve(ambiguous_examples_.size());
  for (const auto& [raw, value] : ambiguous_examples_) {
    raws.push_back(raw);
  }
  std::sort(raws.begin(), raws.end());
  for (const auto& raw : raws) {
    const auto resolved = resolver_.resolve(ambiguous_examples_.at(raw));
    auto& examples = quality.examples[static_cast<std::size_t>(resolved.step)];
    if (examples.size() < kExamplesPerStep) {
      examples.push_back({raw, format_date(resolved.date)});
    }
  }
  return dates;
}

}  // namespace salespipe::clean
