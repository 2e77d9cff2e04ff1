#include "core/json_writer.hpp"

#include <charconv>
#include <cmath>

namespace salespipe {

std::string json_quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (byte < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

void JsonWriter::newline() {
  out_.push_back('\n');
  out_.append(stack_.size() * 2, ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!stack_.empty()) {
    if (!stack_.back().empty) {
      out_.push_back(',');
    }
    stack_.back().empty = false;
    newline();
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_.push_back('{');
  stack_.push_back({true, true});
  return *this;
}

void JsonWriter::close(char bracket) {
  const bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) {
    newline();
  }
  out_.push_back(bracket);
}

JsonWriter& JsonWriter::end_object() {
  close('}');
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_.push_back('[');
  stack_.push_back({false, true});
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  close(']');
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  out_.append(json_quote(name));
  out_.append(": ");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  out_.append(json_quote(text));
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  before_value();
  char text[24];
  const auto result = std::to_chars(text, text + sizeof text, number);
  out_.append(text, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t number) {
  before_value();
  char text[24];
  const auto result = std::to_chars(text, text + sizeof text, number);
  out_.append(text, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  if (!std::isfinite(number)) {
    return null();
  }
  before_value();
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, number);
  out_.append(text, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  out_.append(flag ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_.append("null");
  return *this;
}

JsonWriter& JsonWriter::raw_number(std::string_view text) {
  before_value();
  out_.append(text);
  return *this;
}

JsonWriter& JsonWriter::embed(std::string_view written) {
  if (!written.empty() && written.back() == '\n') {
    written.remove_suffix(1);
  }
  before_value();
  const std::size_t indent = stack_.size() * 2;
  std::size_t start = 0;
  for (std::size_t end = written.find('\n'); end != std::string_view::npos;
       end = written.find('\n', start)) {
    out_.append(written.substr(start, end + 1 - start));
    out_.append(indent, ' ');
    start = end + 1;
  }
  out_.append(written.substr(start));
  return *this;
}

std::string JsonWriter::finish() {
  out_.push_back('\n');
  return std::move(out_);
}

}  // namespace salespipe
