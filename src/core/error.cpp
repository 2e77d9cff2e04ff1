#include "core/error.hpp"

#include <fmt/format.h>

namespace salespipe {
namespace {

std::string with_location(const Location& where, const std::string& message) {
  if (where.file.empty()) {
    return message;
  }
  if (where.line == 0) {
    return fmt::format("{}: {}", where.file, message);
  }
  if (where.column == 0) {
    return fmt::format("{}:{}: {}", where.file, where.line, message);
  }
  return fmt::format("{}:{}:{}: {}", where.file, where.line, where.column, message);
}

}  // namespace

Error::Error(ErrorKind kind, std::string message)
    : std::runtime_error(message), kind_(kind), message_(std::move(message)) {}

Error::Error(ErrorKind kind, Location location, std::string message)
    : std::runtime_error(with_location(location, message)),
      kind_(kind),
      location_(std::move(location)),
      message_(std::move(message)) {}

ExitCode exit_code_for(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Internal:
      return ExitCode::Internal;
    case ErrorKind::Usage:
      return ExitCode::Usage;
    case ErrorKind::Input:
      return ExitCode::BadInput;
    case ErrorKind::Output:
      return ExitCode::OutputFailure;
  }
  return ExitCode::Internal;
}

}  // namespace salespipe
