#include "core/error.hpp"

#include <gtest/gtest.h>

#include "core/reason.hpp"

namespace salespipe {
namespace {

TEST(Error, MessageCarriesFileLineAndColumn) {
  const Error error(ErrorKind::Input, Location{"sale_price.csv", 3, 17}, "unterminated quote");
  EXPECT_STREQ(error.what(), "sale_price.csv:3:17: unterminated quote");
  EXPECT_EQ(error.message(), "unterminated quote");
  EXPECT_EQ(exit_code_for(error.kind()), ExitCode::BadInput);
}

TEST(Error, LeavesOutUnknownParts) {
  EXPECT_STREQ(Error(ErrorKind::Input, Location{"f.csv", 0, 0}, "empty file").what(),
               "f.csv: empty file");
  EXPECT_STREQ(Error(ErrorKind::Output, "locked").what(), "locked");
}

TEST(Error, KindsMapToDesignExitCodes) {
  EXPECT_EQ(exit_code_for(ErrorKind::Internal), ExitCode::Internal);
  EXPECT_EQ(exit_code_for(ErrorKind::Usage), ExitCode::Usage);
  EXPECT_EQ(exit_code_for(ErrorKind::Output), ExitCode::OutputFailure);
}

TEST(Reason, NamesRoundTrip) {
  for (std::size_t i = 0; i < kReasonCount; ++i) {
    const auto reason = static_cast<Reason>(i);
    EXPECT_EQ(reason_from_name(reason_name(reason)), reason);
  }
  EXPECT_EQ(reason_name(Reason::SentimentOutOfRange), "sentiment_out_of_range");
  EXPECT_FALSE(reason_from_name("nope"));
}

}  // namespace
}  // namespace salespipe
