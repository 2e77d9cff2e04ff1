// The run manifest as sections: etl writes its own, segment adds "segmentation", and a manifest
// read back from its file is written again byte for byte.
#include "pipeline/manifest.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "core/json_writer.hpp"
#include "pipeline/etl.hpp"
#include "testing/testing.hpp"

namespace salespipe::pipeline {
namespace {
using testing::read_file;
using testing::TempDir;
using testing::write_file;

Error parse_error(std::string_view json) {
  try {
    RunManifest::parse(json, "run_manifest.json");
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "expected an error for " << json;
  return Error(ErrorKind::Internal, "no error");
}

TEST(RunManifest, EtlManifestReadBackIsWrittenAgainByteForByte) {
  TempDir dir;
  // A reject, an ambiguous date, a string sentiment and an id with spaces fill every section.
  write_file(dir / "sales.csv",
             "sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
             "1,P1,C1,\"$1,000.50\",1,03/04/2023\n"
             "2,P1, c2 ,12.5,,2023-01-03\n"
             "3,P2,C3,abc,1,2023-01-04\n");
  write_file(dir / "feedback.json",
             R"([{"customer_id": "C1", "product_id": "P1", "sentiment_score": "4", )"
             R"("review_date": "2023-01-05"}])");
  EtlOptions options;
  options.sales = dir / "sales.csv";
  options.feedback = dir / "feedback.json";
  options.out = dir / "out";
  options.now_utc = [] { return std::string("2026-01-01T00:00:00Z"); };
  const EtlResult result = run_etl(options);
  const std::string written = read_file(warehouse_dir(options.out) / "run_manifest.json");
  EXPECT_EQ(written, result.manifest_json);
  EXPECT_EQ(RunManifest::parse(written, "run_manifest.json").json(), written);
}

TEST(RunManifest, SetReplacesASectionInItsPlaceAndAppendsANewOne) {
  RunManifest manifest;
  manifest.set("command", json_quote("etl"));
  manifest.set("segmentation", "{\n  \"k\": 2\n}\n");
  manifest.set("outputs", "[\n  \"a.csv\"\n]");
  manifest.set("segmentation", "{\n  \"k\": 3,\n  \"features\": []\n}");
  manifest.set("later", "true");
  EXPECT_EQ(manifest.json(),
            "{\n"
            "  \"command\": \"etl\",\n"
            "  \"segmentation\": {\n"
            "    \"k\": 3,\n"
            "    \"features\": []\n"
            "  },\n"
            "  \"outputs\": [\n"
            "    \"a.csv\"\n"
            "  ],\n"
            "  \"later\": true\n"
            "}\n");
  ASSERT_NE(manifest.find("segmentation"), nullptr);
  EXPECT_EQ(*manifest.find("segmentation"), "{\n  \"k\": 3,\n  \"features\": []\n}");
  EXPECT_EQ(manifest.find("absent"), nullptr);
}

TEST(RunManifest, ReadBackKeepsNumbersAsWrittenAndStringsAsEscaped) {
  // Money keeps its two decimals, exponents and negative zero their form; escapes are
  // JsonWriter's (\u001f in lower case) and UTF-8 stays as it is.
  const std::string json =
      "{\n"
      "  \"revenue\": 2000.00,\n"
      "  \"numbers\": [\n"
      "    1e+20,\n"
      "    -0,\n"
      "    0.1,\n"
      "    18446744073709551615\n"
      "  ],\n"
      "  \"text\": \"a\\\"b\\\\c\\n\\u001f caf\xC3\xA9\",\n"
      "  \"nested\": {\n"
      "    \"empty_object\": {},\n"
      "    \"empty_array\": [],\n"
      "    \"flags\": [\n"
      "      true,\n"
      "      false,\n"
      "      null\n"
      "    ]\n"
      "  }\n"
      "}\n";
  const RunManifest manifest = RunManifest::parse(json, "run_manifest.json");
  EXPECT_EQ(manifest.json(), json);
  ASSERT_NE(manifest.find("revenue"), nullptr);
  EXPECT_EQ(*manifest.find("revenue"), "2000.00");
}

TEST(RunManifest, TextThatIsNotAJsonObjectIsInputErrorAtTheFile) {
  const Error truncated = parse_error("{\"counts\": ");
  EXPECT_EQ(truncated.kind(), ErrorKind::Input);
  EXPECT_EQ(truncated.location().file, "run_manifest.json");
  EXPECT_EQ(std::string(truncated.what()).rfind("run_manifest.json: not valid JSON: ", 0), 0u)
      << truncated.what();
  EXPECT_EQ(std::string(parse_error("[1, 2]").what()), "run_manifest.json: not a JSON object");
  const Error trailing = parse_error("{\"a\": 1}\n{\"b\": 2}\n");
  EXPECT_EQ(std::string(trailing.what()).rfind("run_manifest.json: not valid JSON: ", 0), 0u)
      << trailing.what();
  EXPECT_EQ(parse_error("").kind(), ErrorKind::Input);
}

}  // namespace
}  // namespace salespipe::pipeline
