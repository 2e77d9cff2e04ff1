#include "report/chart_canvas.hpp"

#include <cairo-ft.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>
#include <memory>
#include <numbers>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace salespipe::report::detail {
namespace {

constexpr std::string_view kFontFamily = "DejaVu Sans";
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026
constexpr std::size_t kMaxLabelBytes = 4096;

struct PatternDeleter {
  void operator()(FcPattern* p) const noexcept { FcPatternDestroy(p); }
};
using PatternPtr = std::unique_ptr<FcPattern, PatternDeleter>;

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;

struct ContextDeleter {
  void operator()(cairo_t* c) const noexcept { cairo_destroy(c); }
};
using ContextPtr = std::unique_ptr<cairo_t, ContextDeleter>;

[[noreturn]] void cairo_failure(std::string_view what, cairo_status_t status) {
  throw Error(ErrorKind::Internal,
              std::string("chart: ") + std::string(what) + ": " + cairo_status_to_string(status));
}

void check(cairo_status_t status, std::string_view what) {
  if (status != CAIRO_STATUS_SUCCESS) {
    cairo_failure(what, status);
  }
}

const FcChar8* fc_text(std::string_view text) {
  return reinterpret_cast<const FcChar8*>(text.data());
}

// The face of DejaVu Sans at a weight, as a cairo face made from the font file alone: the
// pattern fontconfig returns also carries the system's hinting and antialias rules, which would
// make text metrics (and so the layout) depend on the machine's configuration.
cairo_font_face_t* load_face(int weight, std::string_view style) {
  PatternPtr wanted(FcPatternCreate());
  if (!wanted) {
    throw Error(ErrorKind::Internal, "chart: fontconfig could not allocate a pattern");
  }
  const std::string family(kFontFamily);
  FcPatternAddString(wanted.get(), FC_FAMILY, fc_text(family));
  FcPatternAddInteger(wanted.get(), FC_WEIGHT, weight);
  FcPatternAddInteger(wanted.get(), FC_SLANT, FC_SLANT_ROMAN);
  FcPatternAddInteger(wanted.get(), FC_WIDTH, FC_WIDTH_NORMAL);
  FcConfigSubstitute(nullptr, wanted.get(), FcMatchPattern);
  FcDefaultSubstitute(wanted.get());
  FcResult result = FcResultNoMatch;
  PatternPtr match(FcFontMatch(nullptr, wanted.get(), &result));

  FcChar8* found_family = nullptr;
  FcChar8* file = nullptr;
  int found_weight = 0;
  int index = 0;
  const bool ok = match && result == FcResultMatch &&
                  FcPatternGetString(match.get(), FC_FAMILY, 0, &found_family) == FcResultMatch &&
                  FcPatternGetString(match.get(), FC_FILE, 0, &file) == FcResultMatch &&
                  FcPatternGetInteger(match.get(), FC_WEIGHT, 0, &found_weight) == FcResultMatch &&
                  reinterpret_cast<const char*>(found_family) == family && found_weight == weight;
  if (!ok) {
    throw Error(ErrorKind::Internal, "chart: the font \"" + family + " " + std::string(style) +
                                         "\" is not installed (Debian package fonts-dejavu-core)");
  }
  if (FcPatternGetInteger(match.get(), FC_INDEX, 0, &index) != FcResultMatch) {
    index = 0;
  }

  PatternPtr by_file(FcPatternCreate());
  if (!by_file) {
    throw Error(ErrorKind::Internal, "chart: fontconfig could not allocate a pattern");
  }
  FcPatternAddString(by_file.get(), FC_FILE, file);
  FcPatternAddInteger(by_file.get(), FC_INDEX, index);
  cairo_font_face_t* face = cairo_ft_font_face_create_for_pattern(by_file.get());
  const cairo_status_t status = cairo_font_face_status(face);
  if (status != CAIRO_STATUS_SUCCESS) {
    cairo_font_face_destroy(face);
    cairo_failure("loading " + family + " " + std::string(style), status);
  }
  return face;
}

cairo_status_t append_bytes(void* closure, const unsigned char* data,
                            unsigned int length) noexcept {
  try {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  } catch (...) {
    // An exception must not cross cairo's C frames; cairo reports the status instead.
    return CAIRO_STATUS_NO_MEMORY;
  }
}

void run_draw(cairo_surface_t* surface, const Fonts& fonts, const Draw& draw, int width,
              int height) {
  ContextPtr cr(cairo_create(surface));
  check(cairo_status(cr.get()), "creating a drawing context");
  Painter painter(cr.get(), fonts);
  painter.fill_rect(0, 0, width, height, rgb(0xFFFFFF));
  draw(painter);
  check(cairo_status(cr.get()), "drawing");
}

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool is_valid_prefix(std::string_view prefix) {
  if (prefix.empty()) {
    return true;
  }
  const char first = prefix.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
    return false;
  }
  return std::all_of(prefix.begin(), prefix.end(), is_id_char);
}

bool is_surface_id(std::string_view id) {
  constexpr std::string_view kSurface = "surface";
  if (id.size() <= kSurface.size() || id.substr(0, kSurface.size()) != kSurface) {
    return false;
  }
  const std::string_view digits = id.substr(kSurface.size());
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The places cairo writes an id: its definition and the two ways of referring to it.
struct IdSite {
  std::string_view opener;
  char closer;
};
constexpr IdSite kIdSites[] = {{" id=\"", '"'}, {"href=\"#", '"'}, {"url(#", ')'}};

}  // namespace

Fonts::Fonts() {
  regular_ = load_face(FC_WEIGHT_REGULAR, "regular");
  try {
    bold_ = load_face(FC_WEIGHT_BOLD, "bold");
  } catch (...) {
    cairo_font_face_destroy(regular_);
    throw;
  }
}

Fonts::~Fonts() {
  cairo_font_face_destroy(bold_);
  cairo_font_face_destroy(regular_);
}

Painter::Painter(cairo_t* cr, const Fonts& fonts) : cr_(cr), fonts_(fonts) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr_, options);
  cairo_font_options_destroy(options);
  cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr_, CAIRO_LINE_CAP_BUTT);
  font(14.0);
}

void Painter::font(double size, bool bold) {
  cairo_set_font_face(cr_, bold ? fonts_.bold() : fonts_.regular());
  cairo_set_font_size(cr_, size);
  cairo_font_extents_t extents{};
  cairo_font_extents(cr_, &extents);
  ascent_ = extents.ascent;
  descent_ = extents.descent;
}

double Painter::text_width(const std::string& text) {
  if (text.empty()) {
    return 0.0;
  }
  cairo_text_extents_t extents{};
  cairo_text_extents(cr_, text.c_str(), &extents);
  return extents.x_advance;
}

bool Painter::move_to_text_start(const std::string& text, HAlign h, VAlign v) {
  if (text.empty()) {
    return false;
  }
  const double width = text_width(text);
  double dx = 0.0;
  if (h == HAlign::Center) {
    dx = -width / 2.0;
  } else if (h == HAlign::Right) {
    dx = -width;
  }
  double dy = 0.0;
  switch (v) {
    case VAlign::Top:
      dy = ascent_;
      break;
    case VAlign::Middle:
      dy = (ascent_ - descent_) / 2.0;
      break;
    case VAlign::Baseline:
      break;
    case VAlign::Bottom:
      dy = -descent_;
      break;
  }
  cairo_move_to(cr_, dx, dy);
  return true;
}

void Painter::text(double x, double y, const std::string& text, Color color, HAlign h, VAlign v,
                   double degrees) {
  cairo_save(cr_);
  cairo_translate(cr_, x, y);
  if (degrees != 0.0) {
    cairo_rotate(cr_, -degrees * std::numbers::pi / 180.0);
  }
  if (move_to_text_start(text, h, v)) {
    cairo_set_source_rgb(cr_, color.r, color.g, color.b);
    cairo_show_text(cr_, text.c_str());
  }
  cairo_new_path(cr_);
  cairo_restore(cr_);
}

void Painter::text_with_halo(double x, double y, const std::string& text, Color color, HAlign h,
                             VAlign v) {
  cairo_save(cr_);
  cairo_translate(cr_, x, y);
  if (move_to_text_start(text, h, v)) {
    cairo_text_path(cr_, text.c_str());
    cairo_set_source_rgb(cr_, 1.0, 1.0, 1.0);
    cairo_set_line_width(cr_, 4.0);
    cairo_stroke_preserve(cr_);
    cairo_set_source_rgb(cr_, color.r, color.g, color.b);
    cairo_fill(cr_);
  }
  cairo_new_path(cr_);
  cairo_restore(cr_);
}

std::string Painter::fit(const std::string& text, double max_width) {
  if (text_width(text) <= max_width) {
    return text;
  }
  const std::string ellipsis(kEllipsis);
  if (text_width(ellipsis) > max_width) {
    return "";
  }
  // Candidate cut points: the start of every UTF-8 character (clean_label made it valid).
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0u) != 0x80u) {
      cuts.push_back(i);
    }
  }
  auto candidate = [&](std::size_t cut) {
    std::string prefix = text.substr(0, cut);
    while (!prefix.empty() && prefix.back() == ' ') {
      prefix.pop_back();
    }
    return prefix + ellipsis;
  };
  // Binary search for the longest prefix that fits: width grows with the prefix.
  std::size_t lo = 0;
  std::size_t hi = cuts.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo + 1) / 2;
    if (text_width(candidate(cuts[mid - 1])) <= max_width) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo == 0 ? ellipsis : candidate(cuts[lo - 1]);
}

std::vector<std::string> Painter::wrap(const std::string& text, double max_width,
                                       std::size_t max_lines) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (lines.size() < max_lines) {
    at = std::min(text.find_first_not_of(' ', at), text.size());
    if (at == text.size()) {
      break;
    }
    const std::string rest = text.substr(at);
    if (lines.size() + 1 == max_lines || text_width(rest) <= max_width) {
      lines.push_back(fit(rest, max_width));
      break;
    }
    // The most whole words that fit; widths are measured, not summed, so kerning and the
    // spaces between words count as cairo draws them.
    std::size_t end = at;
    for (std::size_t word_end = text.find(' ', at);; word_end = text.find(' ', word_end + 1)) {
      word_end = std::min(word_end, text.size());
      if (text_width(text.substr(at, word_end - at)) > max_width) {
        break;
      }
      end = word_end;
      if (word_end == text.size()) {
        break;
      }
    }
    if (end == at) {
      // One word wider than the line: it gets a line of its own, cut.
      end = std::min(text.find(' ', at), text.size());
      lines.push_back(fit(text.substr(at, end - at), max_width));
    } else {
      std::string line = text.substr(at, end - at);
      while (line.back() == ' ') {
        line.pop_back();
      }
      lines.push_back(std::move(line));
    }
    at = end;
  }
  return lines;
}

std::string Painter::fit_middle(const std::string& text, double max_width) {
  if (text_width(text) <= max_width) {
    return text;
  }
  const std::string ellipsis(kEllipsis);
  if (text_width(ellipsis) > max_width) {
    return "";
  }
  // Byte offsets of every character start, and the end.
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0u) != 0x80u) {
      starts.push_back(i);
    }
  }
  starts.push_back(text.size());
  const std::size_t characters = starts.size() - 1;
  // Keep `kept` characters: three fifths from the start, the rest from the end.
  auto candidate = [&](std::size_t kept) {
    const std::size_t head = (kept * 3 + 4) / 5;
    const std::size_t tail = kept - head;
    std::string front = text.substr(0, starts[head]);
    while (!front.empty() && front.back() == ' ') {
      front.pop_back();
    }
    std::string back = text.substr(starts[characters - tail]);
    while (!back.empty() && back.front() == ' ') {
      back.erase(0, 1);
    }
    return front + ellipsis + back;
  };
  std::size_t lo = 0;
  std::size_t hi = characters - 1;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo + 1) / 2;
    if (text_width(candidate(mid)) <= max_width) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return candidate(lo);
}

void Painter::fill_rect(double x, double y, double w, double h, Color color) {
  cairo_set_source_rgb(cr_, color.r, color.g, color.b);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_fill(cr_);
}

void Painter::hline(double x0, double x1, double y, Color color, double width, bool dashed) {
  // An odd line width on a half-pixel centre covers whole pixel rows.
  const bool odd = std::fmod(std::round(width), 2.0) == 1.0;
  const double snapped = odd ? std::floor(y) + 0.5 : std::round(y);
  cairo_save(cr_);
  cairo_set_source_rgb(cr_, color.r, color.g, color.b);
  cairo_set_line_width(cr_, width);
  if (dashed) {
    const double pattern[] = {7.0, 5.0};
    cairo_set_dash(cr_, pattern, 2, 0.0);
  }
  cairo_move_to(cr_, x0, snapped);
  cairo_line_to(cr_, x1, snapped);
  cairo_stroke(cr_);
  cairo_restore(cr_);
}

void Painter::polyline(const double* xs, const double* ys, std::size_t count, Color color,
                       double width) {
  if (count < 2) {
    return;
  }
  cairo_set_source_rgb(cr_, color.r, color.g, color.b);
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, xs[0], ys[0]);
  for (std::size_t i = 1; i < count; ++i) {
    cairo_line_to(cr_, xs[i], ys[i]);
  }
  cairo_stroke(cr_);
}

void Painter::circle(double x, double y, double radius, Color fill, Color stroke,
                     double stroke_width) {
  cairo_new_sub_path(cr_);
  cairo_arc(cr_, x, y, radius, 0.0, 2.0 * std::numbers::pi);
  cairo_set_source_rgb(cr_, fill.r, fill.g, fill.b);
  cairo_fill_preserve(cr_);
  cairo_set_source_rgb(cr_, stroke.r, stroke.g, stroke.b);
  cairo_set_line_width(cr_, stroke_width);
  cairo_stroke(cr_);
}

Rendered render_both(const Fonts& fonts, int width, int height, const Draw& draw,
                     const RenderOptions& options) {
  if (!is_valid_prefix(options.svg_id_prefix)) {
    throw Error(ErrorKind::Internal,
                "chart: svg_id_prefix \"" + clean_label(options.svg_id_prefix) +
                    "\" must start with a letter and hold only letters, digits, '-' and '_'");
  }
  Rendered out;
  out.width = width;
  out.height = height;

  {
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
    check(cairo_surface_status(surface.get()), "creating the PNG surface");
    run_draw(surface.get(), fonts, draw, width, height);
    cairo_surface_flush(surface.get());
    check(cairo_surface_write_to_png_stream(surface.get(), append_bytes, &out.png),
          "encoding the PNG");
  }

  std::string svg;
  {
    SurfacePtr surface(cairo_svg_surface_create_for_stream(append_bytes, &svg, width, height));
    check(cairo_surface_status(surface.get()), "creating the SVG surface");
    // User units: width="1200" rather than "1200pt", so a browser shows it at its pixel size.
    cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_USER);
    run_draw(surface.get(), fonts, draw, width, height);
    cairo_surface_finish(surface.get());
    check(cairo_surface_status(surface.get()), "writing the SVG");
  }
  out.svg = normalize_svg_ids(svg, options.svg_id_prefix);
  return out;
}

void with_scratch_painter(const Fonts& fonts, const Draw& measure) {
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1));
  check(cairo_surface_status(surface.get()), "creating a scratch surface");
  ContextPtr cr(cairo_create(surface.get()));
  check(cairo_status(cr.get()), "creating a scratch context");
  Painter painter(cr.get(), fonts);
  measure(painter);
  check(cairo_status(cr.get()), "measuring text");
}

std::string normalize_svg_ids(std::string_view svg, std::string_view prefix) {
  if (!is_valid_prefix(prefix)) {
    throw Error(ErrorKind::Internal, "chart: svg id prefix \"" + clean_label(prefix) +
                                         "\" must start with a letter and hold only letters, "
                                         "digits, '-' and '_'");
  }
  // First pass: every defined id, in document order, gets its new name.
  std::unordered_map<std::string, std::string> renamed;
  int surfaces = 0;
  const std::string_view definition = kIdSites[0].opener;
  for (std::size_t at = svg.find(definition); at != std::string_view::npos;
       at = svg.find(definition, at + 1)) {
    const std::size_t start = at + definition.size();
    const std::size_t end = svg.find('"', start);
    if (end == std::string_view::npos) {
      break;
    }
    const std::string id(svg.substr(start, end - start));
    if (renamed.count(id) != 0) {
      continue;
    }
    std::string name = is_surface_id(id) ? "surface" + std::to_string(++surfaces) : id;
    renamed.emplace(id, std::string(prefix) + name);
  }

  // Second pass: rewrite definitions and references; ids cairo did not define stay as they are.
  std::string out;
  out.reserve(svg.size() + renamed.size() * prefix.size() * 4);
  // The next hit of each site, searched again only once passed: one scan of the document.
  constexpr std::size_t kSites = std::size(kIdSites);
  std::array<std::size_t, kSites> next{};
  for (std::size_t k = 0; k < kSites; ++k) {
    next[k] = svg.find(kIdSites[k].opener);
  }
  std::size_t copied = 0;
  while (true) {
    std::size_t k = 0;
    for (std::size_t j = 1; j < kSites; ++j) {
      if (next[j] < next[k]) {
        k = j;
      }
    }
    if (next[k] == std::string_view::npos) {
      break;
    }
    const IdSite& site = kIdSites[k];
    const std::size_t start = next[k] + site.opener.size();
    const std::size_t end = svg.find(site.closer, start);
    if (end == std::string_view::npos) {
      break;
    }
    out.append(svg.substr(copied, start - copied));
    const std::string id(svg.substr(start, end - start));
    const auto it = renamed.find(id);
    out.append(it == renamed.end() ? id : it->second);
    copied = end;
    for (std::size_t j = 0; j < kSites; ++j) {
      if (next[j] != std::string_view::npos && next[j] < copied) {
        next[j] = svg.find(kIdSites[j].opener, copied);
      }
    }
  }
  out.append(svg.substr(std::min(copied, svg.size())));
  return out;
}

std::string clean_label(std::string_view text) {
  const std::string_view cut = text.substr(0, std::min(text.size(), kMaxLabelBytes));
  std::string label = printable_raw_value(cut, std::numeric_limits<std::size_t>::max());
  for (char& c : label) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20u || byte == 0x7Fu) {
      c = ' ';
    }
  }
  return label;
}

}  // namespace salespipe::report::detail
