#include "core/date.hpp"

#include <cstring>

namespace salespipe {

std::optional<Date> make_date(int year, unsigned month, unsigned day) noexcept {
  if (year < 1 || year > 9999) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return Date{std::chrono::sys_days{ymd}};
}

char* write_date(char* out, Date date) noexcept {
  const std::chrono::year_month_day ymd{date};
  const int year = static_cast<int>(ymd.year());
  const unsigned month = static_cast<unsigned>(ymd.month());
  const unsigned day = static_cast<unsigned>(ymd.day());
  const char text[kDateChars] = {static_cast<char>('0' + year / 1000 % 10),
                                 static_cast<char>('0' + year / 100 % 10),
                                 static_cast<char>('0' + year / 10 % 10),
                                 static_cast<char>('0' + year % 10),
                                 '-',
                                 static_cast<char>('0' + month / 10),
                                 static_cast<char>('0' + month % 10),
                                 '-',
                                 static_cast<char>('0' + day / 10),
                                 static_cast<char>('0' + day % 10)};
  std::memcpy(out, text, kDateChars);
  return out + kDateChars;
}

void append_date(std::string& out, Date date) {
  char text[kDateChars];
  out.append(text, write_date(text, date));
}

std::string format_date(Date date) {
  std::string out;
  append_date(out, date);
  return out;
}

std::optional<Date> parse_iso_date(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  int value[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int part = 0; part < 3; ++part) {
    for (std::size_t i = 0; i < lengths[part]; ++i) {
      const char c = text[starts[part] + i];
      if (c < '0' || c > '9') {
        return std::nullopt;
      }
      value[part] = value[part] * 10 + (c - '0');
    }
  }
  return make_date(value[0], static_cast<unsigned>(value[1]), static_cast<unsigned>(value[2]));
}

}  // namespace salespipe
