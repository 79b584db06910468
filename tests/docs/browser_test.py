#!/usr/bin/env python3
"""Open the docs' chapter pages and a quick run's out/index.html in headless Chromium.

Fails on a MathJax error (an undefined macro renders as an error box), an image that does
not load, or any message on the browser console. First it checks itself on a page with a
deliberate MathJax error, which must fail. Exit 77 (skipped) when Chromium is missing.

usage: browser_test.py DOCS_HTML_DIR AELAB_DRIVER
"""
import html.parser
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

SKIP = 77


class Images(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src", ""))


def problems(chromium, page):
    """What is wrong with `page` once its scripts (MathJax) have run."""
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
           "--virtual-time-budget=30000", "--dump-dom", page.as_uri()]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    dom, found = run.stdout, []
    if run.returncode != 0 or "</html>" not in dom:
        return [f"Chromium did not load the page (exit {run.returncode})"]
    # MathJax 2 keeps each formula's source in a <script type="math/tex"> beside its rendering.
    if 'type="math/tex' in dom and "<svg" not in dom:
        found.append("MathJax did not render the page's formulas")
    # An undefined macro is an error box, or red text where MathJax's noUndefined extension is on.
    for marker in ("Undefined control sequence", "Missing argument", "Math Processing Error", 'class="merror',
                   'mathcolor="red"'):
        at = dom.find(marker)
        if at >= 0:
            found.append(f"MathJax error in the page: ...{dom[max(0, at - 80):at + 80]}...")
    for line in run.stderr.splitlines():
        if ":CONSOLE" in line:
            found.append("console: " + line.split("] ", 1)[-1])
    parser = Images()
    parser.feed(dom)
    for src in parser.sources:
        target = urllib.parse.urlparse(src)
        if target.scheme not in ("", "file"):
            found.append(f"image from outside the page's folder: {src}")
            continue
        path = (page.parent / urllib.parse.unquote(target.path)).resolve()
        if not path.is_file() or path.stat().st_size == 0:
            found.append(f"image does not load: {src}")
    return found


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    docs, driver = pathlib.Path(sys.argv[1]), sys.argv[2]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("skipped: Chromium is not installed (scripts/setup.sh installs Debian's chromium)")
        return SKIP

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        # The check must be able to fail: a page with an undefined macro and a missing image.
        broken = tmp / "broken" / "index.html"
        broken.parent.mkdir()
        (broken.parent / "mathjax").symlink_to(docs / "mathjax")
        broken.write_text('<!DOCTYPE html><html><head><script src="mathjax/MathJax.js?config=TeX-AMS_SVG">'
                          '</script></head><body><p>\\(\\notamacro x\\)</p><img src="missing.png"></body></html>')
        expected = problems(chromium, broken)
        if not any("MathJax error" in p for p in expected) or not any("missing.png" in p for p in expected):
            print(f"FAIL: the check missed the errors of a broken page: {expected}")
            return 1

        out = tmp / "out"
        env = dict(os.environ, OMP_NUM_THREADS="1")
        run = subprocess.run([driver, "run", "1", "--quick", "--out", str(out)], capture_output=True, text=True,
                             env=env, timeout=600)
        if run.returncode != 0:
            print(f"FAIL: aelab run 1 --quick exited {run.returncode}\n{run.stderr[-2000:]}")
            return 1

        pages = sorted(docs.glob("chapter_*.html")) + [docs / "chapters_overview.html", docs / "index.html",
                                                        out / "index.html"]
        failed = 0
        for page in pages:
            found = problems(chromium, page)
            print(f"{'FAIL' if found else 'ok  '} {page.name if page.parent == docs else page}")
            for p in found:
                print(f"     {p}")
            failed += bool(found)
        print(f"{len(pages) - failed} of {len(pages)} pages render without errors")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
