// Opens the sample workbook in LibreOffice Calc: converts it to PDF, checks that the values show
// with their formats (money as "$1,234.50", dates as "2023-01-15", formula-like text as text),
// and renders the first page to PNG. Exit 77 (ctest's skip) when LibreOffice is not installed.
//
//   io_xlsx_render_check [FOLDER]   also copies sample.xlsx, sample.pdf and page-1.png to FOLDER
//                                   for a look with an image viewer.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/xlsx/sample_export.hpp"
#include "io/xlsx/writer.hpp"

namespace {
namespace fs = std::filesystem;

/// Single-quotes text for the shell.
std::string quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

bool have(const std::string& tool) {
  return std::system(("command -v " + tool + " > /dev/null 2>&1").c_str()) == 0;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A fresh folder under the system temp folder, removed on exit.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "salespipe-render-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temp folder");
    }
    path_ = pattern;
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

int check(const fs::path& keep) {
  if (!have("libreoffice")) {
    std::cout << "libreoffice is not installed; skipping the rendering check\n";
    return 77;
  }
  const Scratch scratch;
  const fs::path dir = scratch.path();
  const fs::path xlsx = dir / "sample.xlsx";
  const auto sample = salespipe::io::xlsx::testing::make_sample();
  salespipe::io::xlsx::write_xlsx(xlsx, sample->data);

  // Its own profile folder, so a LibreOffice the user has open (or a parallel test) is not used.
  const std::string convert = "cd " + quote(dir.string()) + " && HOME=" + quote(dir.string()) +
                              " libreoffice -env:UserInstallation=file://" + dir.string() +
                              "/profile --headless --convert-to pdf --outdir " +
                              quote(dir.string()) + " " + quote(xlsx.string()) + " > " +
                              quote((dir / "convert.log").string()) + " 2>&1";
  const fs::path pdf = dir / "sample.pdf";
  if (std::system(convert.c_str()) != 0 || !fs::exists(pdf)) {
    std::cerr << "LibreOffice could not convert the workbook:\n" << read_text(dir / "convert.log");
    return 1;
  }

  int failures = 0;
  if (have("pdftotext")) {
    const fs::path text_path = dir / "sample.txt";
    if (std::system(("pdftotext -layout " + quote(pdf.string()) + " " + quote(text_path.string()))
                        .c_str()) != 0) {
      std::cerr << "pdftotext failed\n";
      return 1;
    }
    const std::string text = read_text(text_path);
    // Each as LibreOffice shows it: formatted money and dates, text kept as typed.
    for (const char* expected :
         {// A formula would show its result, 2, not "=1+1".
          "sale_id", "$150.05", "$1,234.50", "$300.10", "2023-01-15", "2023-04-01", "=1+1",
          "+SUM(A1:A2)", "@cmd", "customer_id", "$1,534.60", "$767.30", "Top products, 2023 Q1",
          "75.8%", "24.5%", "$400.00"}) {
      if (text.find(expected) == std::string::npos) {
        std::cerr << "the PDF does not show \"" << expected << "\"\n";
        ++failures;
      }
    }
    if (failures != 0) {
      std::cerr << "--- PDF text ---\n" << text;
    }
  } else {
    std::cout << "pdftotext is not installed; the PDF's text is not checked\n";
  }

  fs::path png;
  if (have("pdftoppm")) {
    if (std::system(("pdftoppm -png -r 60 -f 1 -l 1 " + quote(pdf.string()) + " " +
                     quote((dir / "page").string()))
                        .c_str()) != 0) {
      std::cerr << "pdftoppm failed\n";
      return 1;
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".png") {
        png = entry.path();
      }
    }
    // A blank page at 60 dpi compresses to well under 2 kB; a page with a table does not.
    if (png.empty() || fs::file_size(png) < 4'000) {
      std::cerr << "the first page did not render, or rendered blank\n";
      ++failures;
    }
  } else {
    std::cout << "pdftoppm is not installed; no page image is made\n";
  }

  if (!keep.empty()) {
    fs::create_directories(keep);
    const auto copy = fs::copy_options::overwrite_existing;
    fs::copy_file(xlsx, keep / "sample.xlsx", copy);
    fs::copy_file(pdf, keep / "sample.pdf", copy);
    if (!png.empty()) {
      fs::copy_file(png, keep / "page-1.png", copy);
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return check(argc > 1 ? fs::path(argv[1]) : fs::path());
  } catch (const std::exception& error) {
    std::cerr << error.what() << '\n';
    return 1;
  }
}
