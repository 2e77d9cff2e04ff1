#pragma once

// Private to the chart module: the cairo plumbing (fonts, text, shapes) and the one function
// that runs a drawing on a PNG surface and an SVG surface. Not included outside src/report.

#include <cairo.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "report/chart.hpp"

namespace salespipe::report::detail {

/// An opaque colour, each channel in [0, 1].
struct Color {
  double r = 0.0;
  double g = 0.0;
  double b = 0.0;
};

/// The colour of a 0xRRGGBB literal.
constexpr Color rgb(std::uint32_t hex) {
  return {static_cast<double>((hex >> 16) & 0xFFu) / 255.0,
          static_cast<double>((hex >> 8) & 0xFFu) / 255.0,
          static_cast<double>(hex & 0xFFu) / 255.0};
}

enum class HAlign { Left, Center, Right };
/// Top and Bottom use the font's ascent and descent, so labels of one font line up whatever
/// their letters.
enum class VAlign { Top, Middle, Baseline, Bottom };

/// The regular and bold faces of DejaVu Sans, found through fontconfig. Loading by file keeps
/// the system's hinting rules out, so the same text has the same metrics on every surface.
class Fonts {
 public:
  /// Throws Error(Internal) when DejaVu Sans (regular or bold) is not installed.
  Fonts();
  ~Fonts();
  Fonts(const Fonts&) = delete;
  Fonts& operator=(const Fonts&) = delete;

  cairo_font_face_t* regular() const noexcept { return regular_; }
  cairo_font_face_t* bold() const noexcept { return bold_; }

 private:
  cairo_font_face_t* regular_ = nullptr;
  cairo_font_face_t* bold_ = nullptr;
};

/// Drawing primitives over one cairo context, in pixels (y grows downwards).
class Painter {
 public:
  /// Sets unhinted font options so PNG and SVG measure text alike.
  Painter(cairo_t* cr, const Fonts& fonts);

  /// Selects the font for the following text calls.
  void font(double size, bool bold = false);
  /// Advance width of text in the current font.
  double text_width(const std::string& text);
  double ascent() const noexcept { return ascent_; }
  double descent() const noexcept { return descent_; }
  /// Ascent + descent: the height one line of labels needs.
  double line_height() const noexcept { return ascent_ + descent_; }

  /// Draws text anchored at (x, y), turned by `degrees` counter-clockwise around the anchor.
  void text(double x, double y, const std::string& text, Color color, HAlign h, VAlign v,
            double degrees = 0.0);
  /// Horizontal text with a white outline, so it stays readable over lines it crosses.
  void text_with_halo(double x, double y, const std::string& text, Color color, HAlign h, VAlign v);
  /// text itself when it fits in max_width, else its longest prefix (on a character boundary)
  /// followed by "…"; "" when not even the ellipsis fits.
  std::string fit(const std::string& text, double max_width);
  /// Like fit, but cuts out of the middle ("Wireless noise…model 103"), keeping the end where
  /// similar category names usually differ.
  std::string fit_middle(const std::string& text, double max_width);
  /// text broken at spaces into lines at most max_width wide, at most max_lines of them: a word
  /// wider than a line is cut by fit(), and so is the last line when text is left over (it
  /// ends in "…"). Empty for text that is empty or only spaces.
  std::vector<std::string> wrap(const std::string& text, double max_width, std::size_t max_lines);

  void fill_rect(double x, double y, double w, double h, Color color);
  /// A horizontal line, snapped to the pixel grid so a 1 px line stays sharp in the PNG.
  void hline(double x0, double x1, double y, Color color, double width, bool dashed = false);
  /// A polyline through the points (xs[i], ys[i]).
  void polyline(const double* xs, const double* ys, std::size_t count, Color color, double width);
  void circle(double x, double y, double radius, Color fill, Color stroke, double stroke_width);

  cairo_t* context() const noexcept { return cr_; }

 private:
  /// Moves to the start of text aligned at the current origin; returns false for empty text.
  bool move_to_text_start(const std::string& text, HAlign h, VAlign v);

  cairo_t* cr_;
  const Fonts& fonts_;
  double ascent_ = 0.0;
  double descent_ = 0.0;
};

using Draw = std::function<void(Painter&)>;

/// Runs draw on a white width x height RGB image surface and on an SVG surface of the same
/// size, and returns both files. Throws Error(Internal) when cairo reports a failure.
Rendered render_both(const Fonts& fonts, int width, int height, const Draw& draw,
                     const RenderOptions& options);

/// Runs measure with a Painter on a scratch surface, to size an image before drawing it.
void with_scratch_painter(const Fonts& fonts, const Draw& measure);

/// The SVG with every id renumbered deterministically and prefixed: cairo's "surfaceN" ids
/// come from a process-wide counter, so they become surface1, surface2, ... in document order;
/// references (href="#id", url(#id)) follow. Throws Error(Internal) for a prefix that is not
/// a valid id start.
std::string normalize_svg_ids(std::string_view svg, std::string_view prefix);

/// A label cairo can draw: at most 4 KiB, valid UTF-8 (bad bytes become U+FFFD), control
/// bytes turned into spaces (cairo stops drawing at the first invalid string).
std::string clean_label(std::string_view text);

}  // namespace salespipe::report::detail
