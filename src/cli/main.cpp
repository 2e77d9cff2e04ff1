// The salespipe command line: parses arguments, calls the pipeline library, prints, and maps
// errors to exit codes. The only place that writes to stdout/stderr or exits.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "core/error.hpp"

namespace {

using salespipe::ExitCode;

int real_main(int argc, char** argv) {
  CLI::App app{
      "salespipe: messy sales exports and feedback into a clean warehouse, a report, "
      "VIP segments and exports"};
  app.set_version_flag("--version", SALESPIPE_VERSION);
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : static_cast<int>(ExitCode::Usage);
  }
  if (app.get_subcommands().empty()) {
    fmt::print("{}", app.help());
    return 0;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return real_main(argc, argv);
  } catch (const salespipe::Error& error) {
    fmt::print(stderr, "salespipe: {}\n", error.what());
    return static_cast<int>(salespipe::exit_code_for(error.kind()));
  } catch (const std::exception& error) {
    fmt::print(stderr, "salespipe: internal error: {}\n", error.what());
    return static_cast<int>(ExitCode::Internal);
  }
}
