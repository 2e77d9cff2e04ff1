#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace salespipe {

/// What stopped a run; each kind maps to one exit code of DESIGN.md section 9.
enum class ErrorKind {
  Internal,  ///< a bug or a failed accounting check: exit 1
  Usage,     ///< a bad flag, option value or config file: exit 2
  Input,     ///< a bad input file, an empty period, k > customers: exit 3
  Output,    ///< an output folder or destination that cannot be written: exit 4
};

/// Where in an input a fatal error sits. Empty fields are left out of the message.
struct Location {
  std::string file;
  std::uint64_t line = 0;    ///< 1-based physical line, 0 when unknown
  std::uint64_t column = 0;  ///< 1-based byte column, 0 when unknown
};

/// The one error type for failures that stop the run. what() reads `file:line:col: message`.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message);
  Error(ErrorKind kind, Location location, std::string message);

  ErrorKind kind() const noexcept { return kind_; }
  const Location& location() const noexcept { return location_; }
  /// The message without its location prefix.
  const std::string& message() const noexcept { return message_; }

 private:
  ErrorKind kind_;
  Location location_;
  std::string message_;
};

/// Exit codes of the CLI (DESIGN.md section 9).
enum class ExitCode : int { Ok = 0, Internal = 1, Usage = 2, BadInput = 3, OutputFailure = 4 };

/// The exit code a failure of this kind ends the run with.
ExitCode exit_code_for(ErrorKind kind) noexcept;

}  // namespace salespipe
