#include "core/interner.hpp"

#include <gtest/gtest.h>

#include <string>
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

}  // namespace
}  // namespace salespipe
