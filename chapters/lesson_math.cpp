// Math in report strings. A chapter writes a formula in its table headers, captions and notes
// as TeX between dollar signs, e.g. "$\sum_{i>k} \sigma_i^2$". out/index.html hands it to
// MathJax; the console and results.json get the plain-text form below ("Σ_{i>k} σ_i²").
#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "chapters/lesson_report.hpp"

namespace ae::chapters::report {

namespace {

// The macros the chapters use, and how a terminal shows them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kMacros{{
    {"\\lVert", "||"}, {"\\rVert", "||"}, {"\\|", "||"}, {"\\sum", "Σ"}, {"\\sigma", "σ"},
    {"\\lambda", "λ"}, {"\\mu", "μ"},    {"\\rho", "ρ"},  {"\\beta", "β"}, {"\\Omega", "Ω"},
    {"\\top", "ᵀ"},     {"\\cdot", "·"},  {"\\times", "×"}, {"\\le", "≤"}, {"\\ge", "≥"},
    {"\\approx", "≈"}, {"\\sqrt", "√"},   {"\\log", "log"}, {"\\mathrm", ""}, {"\\operatorname", ""},
    {"\\,", " "},       {"\\;", " "},     {"\\hat", ""},    {"\\epsilon", "ε"},
}};

// A superscript digit or ᵀ where Unicode has one; otherwise ^{…} stays as written.
std::string superscript(std::string_view s) {
  if (s == "2") return "²";
  if (s == "3") return "³";
  if (s == "ᵀ") return "ᵀ";
  return s.size() == 1 ? "^" + std::string(s) : "^{" + std::string(s) + "}";
}

// The position of the '}' that closes the '{' at `open` (or the end of `tex`).
size_t matching_brace(std::string_view tex, size_t open) {
  int depth = 0;
  for (size_t i = open; i < tex.size(); ++i) {
    if (tex[i] == '{') ++depth;
    if (tex[i] == '}' && --depth == 0) return i;
  }
  return tex.size();
}

// One TeX formula (without its dollars) as plain text.
std::string plain_formula(std::string_view tex) {
  std::string out;
  bool hat_next = false;  // \hat x → x̂ (x followed by a combining circumflex)
  for (size_t i = 0; i < tex.size();) {
    if (tex[i] == '\\') {
      bool matched = false;
      for (const auto& [macro, text] : kMacros) {
        // A macro made of letters must not run into more letters (\le vs \lVert).
        const size_t end = i + macro.size();
        if (tex.substr(i, macro.size()) != macro) continue;
        if (std::isalpha(static_cast<unsigned char>(macro.back())) && end < tex.size() &&
            std::isalpha(static_cast<unsigned char>(tex[end])))
          continue;
        if (macro == "\\hat") hat_next = true;
        out += text;
        i = end;
        while (i < tex.size() && tex[i] == ' ' && std::isalpha(static_cast<unsigned char>(macro.back()))) ++i;
        matched = true;
        break;
      }
      if (!matched) out += tex[i++];  // an unknown macro shows as written
      continue;
    }
    if (tex[i] == '^' || tex[i] == '_') {
      // A subscript keeps its braces (X_{i>k}) so the reader sees its extent; a
      // superscript becomes a Unicode one where there is one (²).
      const char op = tex[i++];
      std::string arg;
      if (i < tex.size() && tex[i] == '{') {
        const size_t close = matching_brace(tex, i);
        arg = plain_formula(tex.substr(i + 1, close - i - 1));
        i = close == tex.size() ? close : close + 1;
        out += op == '^' ? superscript(arg) : "_{" + arg + "}";
      } else if (i < tex.size()) {
        const size_t start = i++;
        if (tex[start] == '\\')  // ^\top
          while (i < tex.size() && std::isalpha(static_cast<unsigned char>(tex[i]))) ++i;
        arg = plain_formula(tex.substr(start, i - start));
        out += op == '^' ? superscript(arg) : "_" + arg;
      }
      continue;
    }
    if (tex[i] == '{' || tex[i] == '}') {  // grouping only
      ++i;
      continue;
    }
    out += tex[i++];
    if (hat_next && std::isalpha(static_cast<unsigned char>(out.back()))) {
      out += "\u0302";
      hat_next = false;
    }
  }
  return out;
}

}  // namespace

std::string plain_math(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('$', i);
    if (open == std::string_view::npos) break;
    const size_t close = text.find('$', open + 1);
    if (close == std::string_view::npos) break;  // a lone dollar is text
    out += text.substr(i, open - i);
    out += plain_formula(text.substr(open + 1, close - open - 1));
    i = close + 1;
  }
  out += text.substr(i);
  return out;
}

}  // namespace ae::chapters::report
