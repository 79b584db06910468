// out/index.html: one page with every chapter's result tables and figures.
#include <fstream>
#include <sstream>

#include "chapters/chapters.hpp"
#include "nn/atomic_write.hpp"

namespace ae::chapters {

namespace fs = std::filesystem;

namespace {

// Debian's libjs-mathjax, the same MathJax the docs use. The page reaches it through the link
// out/mathjax, so out/ can be opened from disk with no network; without the package the
// formulas show as their TeX source.
const fs::path kMathJax = "/usr/share/javascript/mathjax";

void link_mathjax(const fs::path& out) {
  const fs::path link = out / "mathjax";
  std::error_code ec;
  if (fs::exists(kMathJax / "MathJax.js") && !fs::exists(fs::symlink_status(link, ec)))
    fs::create_directory_symlink(kMathJax, link, ec);
}

}  // namespace

void write_index(const fs::path& out) {
  link_mathjax(out);
  std::string body;
  std::string contents;
  for (const auto& ch : all_chapters()) {
    const fs::path section = out / fmt::format("ch{:02d}", ch.number) / "section.html";
    if (!fs::exists(section)) continue;
    std::ifstream f(section);
    std::stringstream text;
    text << f.rdbuf();
    body += text.str();
    contents += fmt::format("<li><a href=\"#ch{:02d}\">Chapter {} — {}</a></li>\n", ch.number,
                            ch.number, ch.title);
  }
  const std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>aelab — results</title>\n<style>\n"
      "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}\n"
      "table{border-collapse:collapse;margin:1em 0}caption{font-weight:bold;text-align:left;padding:.3em 0}\n"
      "td,th{border:1px solid #bbb;padding:.25em .6em;text-align:right}td:first-child,th:first-child{text-align:left}\n"
      "figure{display:inline-block;margin:1em 1em 1em 0;vertical-align:top}img{max-width:100%;border:1px solid #ddd}\n"
      ".meta{color:#666}.note{background:#fff6d5;padding:.4em}\n"
      "</style>\n"
      "<script type=\"text/x-mathjax-config\">MathJax.Hub.Config({tex2jax: {inlineMath: [['$','$']], "
      "processEscapes: true}, SVG: {font: 'TeX'}});</script>\n"
      "<script src=\"mathjax/MathJax.js?config=TeX-AMS_SVG\"></script>\n</head>\n<body>\n<h1>aelab — results</h1>\n<ol>\n" +
      contents + "</ol>\n" + body + "</body>\n</html>\n";
  nn::write_file_atomically(out / "index.html", page);
}

}  // namespace ae::chapters
