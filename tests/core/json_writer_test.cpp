#include "core/json_writer.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace salespipe {
namespace {

TEST(JsonWriter, NestsObjectsAndArraysWithCommas) {
  JsonWriter json;
  json.begin_object().key("a").value(1).key("b").begin_array().value("x").value(true).null();
  json.end_array().key("c").begin_object().end_object().key("d").begin_array().end_array();
  json.end_object();
  EXPECT_EQ(json.finish(),
            "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    true,\n    null\n  ],\n  \"c\": {},\n"
            "  \"d\": []\n}\n");
}

TEST(JsonWriter, EscapesStringsAndKeepsUtf8) {
  EXPECT_EQ(json_quote("a\"b\\c\n\t\x01 caf\xC3\xA9"), "\"a\\\"b\\\\c\\n\\t\\u0001 caf\xC3\xA9\"");
}

TEST(JsonWriter, WritesShortestDoublesAndNullForNonFinite) {
  JsonWriter json;
  json.begin_array().value(0.1).value(3.0).value(std::numeric_limits<double>::quiet_NaN());
  json.value(std::numeric_limits<double>::infinity()).raw_number("12.50").end_array();
  EXPECT_EQ(json.finish(), "[\n  0.1,\n  3,\n  null,\n  null,\n  12.50\n]\n");
}

TEST(JsonWriter, EmbedsAValueAnotherWriterWroteAsIfWrittenHere) {
  JsonWriter inner;
  inner.begin_object().key("k").value(2).key("list").begin_array().value("a\nb").end_array();
  inner.end_object();
  JsonWriter embedded;
  embedded.begin_object().key("first").value(1).key("section").embed(inner.finish());
  embedded.key("last").embed("true").end_object();

  JsonWriter direct;
  direct.begin_object().key("first").value(1).key("section").begin_object().key("k").value(2);
  direct.key("list").begin_array().value("a\nb").end_array().end_object();
  direct.key("last").value(true).end_object();
  EXPECT_EQ(embedded.finish(), direct.finish());
}

}  // namespace
}  // namespace salespipe
