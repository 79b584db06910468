// out/chNN/section.html: the chapter's section of out/index.html (chapters/index.cpp joins them).
// Formulas stay as $TeX$: the page renders them with MathJax.
#include <fmt/format.h>

#include "chapters/lesson_report.hpp"

namespace ae::chapters::report {

namespace {

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string section_html(const Report& r) {
  // Figure paths are relative to out/, where index.html is.
  const std::string folder = r.dir.filename().string();
  std::string html = fmt::format("<section id=\"{}\">\n<h2>Chapter {} — {}</h2>\n", folder, r.chapter.number,
                                 html_escape(r.chapter.title));
  html += fmt::format("<p class=\"meta\">Lectures {} · <code>{}</code> · {} run · seed {} · {:.1f} s</p>\n",
                      html_escape(r.chapter.lectures), html_escape(r.chapter.file),
                      r.options.quick ? "quick" : "full", r.options.seed, r.seconds);
  for (const auto& n : r.notes) html += "<p class=\"note\">" + html_escape(n) + "</p>\n";
  for (const auto& t : r.tables) {
    html += "<table>\n<caption>" + html_escape(t.title) + "</caption>\n<tr>";
    for (const auto& h : t.headers) html += "<th>" + html_escape(h) + "</th>";
    html += "</tr>\n";
    for (const auto& row : t.rows) {
      html += "<tr>";
      for (const auto& cell : row) html += "<td>" + html_escape(cell) + "</td>";
      html += "</tr>\n";
    }
    html += "</table>\n";
  }
  for (const auto& f : r.figures)
    html += fmt::format("<figure><img src=\"{}/{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>\n", folder,
                        html_escape(f.file), html_escape(plain_math(f.caption)), html_escape(f.caption));
  html += "</section>\n";
  return html;
}

}  // namespace ae::chapters::report
