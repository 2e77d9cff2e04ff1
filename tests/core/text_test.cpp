#include "core/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace salespipe {
namespace {

TEST(Text, CanonicalNameFoldsCaseSpacesHyphensUnderscores) {
  EXPECT_EQ(canonical_name("Sale Price"), "sale_price");
  EXPECT_EQ(canonical_name("  sale-price "), "sale_price");
  EXPECT_EQ(canonical_name("SALE__PRICE"), "sale_price");
  EXPECT_EQ(canonical_name("sale_id"), "sale_id");
  EXPECT_EQ(canonical_name(""), "");
}

TEST(Text, EqualBytesAgreesWithStringComparisonAtEveryLengthAndPosition) {
  for (std::size_t a_size = 0; a_size <= 20; ++a_size) {
    const std::string a(a_size, 'x');
    for (std::size_t b_size = 0; b_size <= 20; ++b_size) {
      const std::string b(b_size, 'x');
      EXPECT_EQ(equal_bytes(a, b), a_size == b_size) << a_size << " " << b_size;
    }
    for (std::size_t at = 0; at < a_size; ++at) {
      std::string b = a;
      b[at] = 'y';
      EXPECT_FALSE(equal_bytes(a, b)) << a_size << " " << at;
      EXPECT_FALSE(equal_bytes(b, a)) << a_size << " " << at;
    }
  }
}

TEST(Text, TrimRemovesSpacesAndTabsOnly) {
  EXPECT_EQ(trim("  P101\t"), "P101");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim("a b"), "a b");
}

TEST(Text, ValidatesUtf8) {
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ab\xFF"), 2u);
}

TEST(Text, DetectsControlBytes) {
  EXPECT_FALSE(has_control_byte("a\tb\r\n"));
  EXPECT_TRUE(has_control_byte(std::string("a\0b", 3)));
  EXPECT_TRUE(has_control_byte("a\x1b"));
}

TEST(Text, PrintableRawValueRepairsAndCutsOnCharacterBoundary) {
  EXPECT_EQ(printable_raw_value("ok"), "ok");
  EXPECT_EQ(printable_raw_value("a\xFF"), "a\xEF\xBF\xBD");
  const std::string euros(600, 'x');
  const std::string long_text = euros + "\xE2\x82\xAC" + std::string(600, 'y');
  const std::string cut = printable_raw_value(long_text, 601);
  EXPECT_EQ(cut, euros + "\xE2\x80\xA6[truncated]");
}

TEST(Text, SpreadsheetSafeQuotesFormulaLikeText) {
  EXPECT_EQ(spreadsheet_safe("=SUM(A1)"), "'=SUM(A1)");
  EXPECT_EQ(spreadsheet_safe("@cmd"), "'@cmd");
  EXPECT_EQ(spreadsheet_safe("C_001"), "C_001");
}

}  // namespace
}  // namespace salespipe
