#include "core/interner.hpp"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace salespipe
