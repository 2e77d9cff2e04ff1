#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace salespipe {

/// Writes pretty-printed JSON (two-space indent) into a string, with commas and nesting handled.
/// Used for the run manifest and the --json summaries; keys keep insertion order so the output is
/// deterministic.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// The key of the next value inside an object.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(std::uint64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  /// A finite double in its shortest exact form; NaN and infinities become null.
  JsonWriter& value(double number);
  JsonWriter& value(bool flag);
  JsonWriter& null();
  /// A number already formatted (e.g. money with two decimals), written as a JSON number.
  JsonWriter& raw_number(std::string_view text);
  /// A whole value another JsonWriter wrote (its finish() text; the final newline is dropped),
  /// with its lines indented to this depth: the bytes are those of writing the value here.
  /// Re-indenting is safe because json_quote escapes every newline inside a string.
  JsonWriter& embed(std::string_view written);

  /// The document, with a final newline.
  std::string finish();

 private:
  void before_value();
  void close(char bracket);
  void newline();

  std::string out_;
  struct Level {
    bool is_object;
    bool empty;
  };
  std::vector<Level> stack_;
  bool after_key_ = false;
};

/// text as a JSON string literal, quotes included (control bytes escaped, UTF-8 kept).
std::string json_quote(std::string_view text);

}  // namespace salespipe
