#include "core/interner.hpp"

#include <gtest/gtest.h>

#include <random>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace salespipe {
namespace {

TEST(Interner, AssignsCodesInFirstSeenOrder) {
  Interner ids;
  EXPECT_EQ(ids.intern("P102"), 0u);
  EXPECT_EQ(ids.intern("P101"), 1u);
  EXPECT_EQ(ids.intern("P102"), 0u);
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids.name(1), "P101");
  EXPECT_EQ(ids.find("P101"), 1u);
  EXPECT_FALSE(ids.find("P999"));
}

TEST(Interner, KeepsCodesAcrossGrowth) {
  Interner ids;
  for (int i = 0; i < 100'000; ++i) {
    ASSERT_EQ(ids.intern("C_" + std::to_string(i)), static_cast<std::uint32_t>(i));
  }
  for (int i = 0; i < 100'000; i += 997) {
    EXPECT_EQ(ids.find("C_" + std::to_string(i)), static_cast<std::uint32_t>(i));
  }
  EXPECT_EQ(ids.dictionary().name(12345), "C_12345");
}

TEST(Interner, DistinguishesEmptyAndSimilarStrings) {
  Interner ids;
  EXPECT_EQ(ids.intern(""), 0u);
  EXPECT_EQ(ids.intern("a"), 1u);
  EXPECT_EQ(ids.intern(std::string("a\0", 2)), 2u);
}

TEST(Interner, MergeGivesTheCodesOfOneSequentialRun) {
  // Two inputs interned on their own, then merged, must give the codes one interner gives
  // reading the first input and then the second.
  const std::vector<std::string> first = {"C3", "C1", "C3", "C7"};
  const std::vector<std::string> second = {"C9", "C1", "C2", "C9", "C3"};
  Interner sequential;
  for (const auto& id : first) sequential.intern(id);
  std::vector<std::uint32_t> expected;
  for (const auto& id : second) expected.push_back(sequential.intern(id));

  Interner left;
  Interner right;
  for (const auto& id : first) left.intern(id);
  std::vector<std::uint32_t> right_codes;
  for (const auto& id : second) right_codes.push_back(right.intern(id));
  const std::vector<std::uint32_t> remap = left.merge(right);
  ASSERT_EQ(remap.size(), right.size());
  for (std::size_t i = 0; i < second.size(); ++i) {
    EXPECT_EQ(remap[right_codes[i]], expected[i]) << second[i];
  }
  ASSERT_EQ(left.size(), sequential.size());
  for (std::uint32_t code = 0; code < left.size(); ++code) {
    EXPECT_EQ(left.name(code), sequential.name(code));
  }
}

TEST(Interner, ReserveAndTakeNamesKeepEveryCode) {
  Interner ids;
  ids.reserve(50'000, 400'000);
  for (int i = 0; i < 60'000; ++i) {
    ASSERT_EQ(ids.intern("S" + std::to_string(i)), static_cast<std::uint32_t>(i));
  }
  EXPECT_EQ(ids.intern("S59999"), 59'999u);
  const StringColumn names = ids.take_names();
  ASSERT_EQ(names.size(), 60'000u);
  EXPECT_EQ(names[41'234], "S41234");
  EXPECT_EQ(ids.size(), 0u);
  EXPECT_FALSE(ids.find("S1"));
  EXPECT_EQ(ids.intern("S1"), 0u);
}

TEST(Interner, NumericIdsGetTheCodesOfFirstSeenOrderWhereverTheyAreHeld) {
  // Ids written as numbers near the first one are held by number, the rest by hash; which one
  // must not show. Checked against a plain map over numbers in order, out of order, below the
  // first, so far above that the number table only reaches them later, and look-alikes that are
  // not plain numbers ("007" is not "7").
  std::mt19937 random(11);
  std::vector<std::string> ids;
  const auto some = [&](std::uint64_t low, std::uint64_t high) {
    return std::to_string(std::uniform_int_distribution<std::uint64_t>(low, high)(random));
  };
  for (int i = 0; i < 40'000; ++i) {
    switch (std::uniform_int_distribution<int>(0, 9)(random)) {
      case 0:
        ids.push_back(some(0, 999));  // below the first number
        break;
      case 1:
        // Far above at first, then reached as the number table grows with the ids.
        ids.push_back(std::to_string(71'000 + 7 * std::stoull(some(0, 299))));
        break;
      case 2:
        ids.push_back("0" + some(1'000, 1'050));  // a leading zero: not a plain number
        break;
      case 3:
        ids.push_back(std::uniform_int_distribution<int>(0, 1)(random) ? "18446744073709551615"
                                                                       : "9999999999999999999");
        break;
      case 4:
        ids.push_back("S" + some(1'000, 1'200));
        break;
      default:
        ids.push_back(std::to_string(1'000 + i));  // consecutive
        break;
    }
  }
  ids.insert(ids.begin(), "1000");

  std::unordered_map<std::string, std::uint32_t> expected;
  std::vector<std::uint32_t> expected_codes;
  for (const auto& id : ids) {
    expected_codes.push_back(
        expected.try_emplace(id, static_cast<std::uint32_t>(expected.size())).first->second);
  }

  Interner one_by_one;
  Interner batched;
  std::vector<std::uint32_t> batched_codes;
  std::vector<std::string_view> views(ids.begin(), ids.end());
  for (std::size_t begin = 0; begin < views.size();) {
    const std::size_t count =
        std::min(views.size() - begin, std::uniform_int_distribution<std::size_t>(1, 5000)(random));
    batched.intern_all(std::span(views).subspan(begin, count), batched_codes);
    begin += count;
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(one_by_one.intern(ids[i]), expected_codes[i]) << i << " " << ids[i];
    ASSERT_EQ(batched_codes[i], expected_codes[i]) << i << " " << ids[i];
  }
  ASSERT_EQ(batched.size(), expected.size());
  for (const auto& [id, code] : expected) {
    ASSERT_EQ(batched.find(id), code) << id;
    ASSERT_EQ(batched.name(code), id);
  }
  for (const std::string_view absent : {"7", "007", "999999", "-5", "1e3", "S999"}) {
    EXPECT_EQ(batched.find(absent).has_value(), expected.count(std::string(absent)) > 0) << absent;
  }
}

}  // namespace
}  // namespace salespipe
