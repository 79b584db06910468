"""docs/trace.md cites code as `path:line` (and bare `:line` for the file named last): every
cited file must exist and hold the cited lines, so the reading path fails loudly when code
moves instead of pointing at the wrong place."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
text = (root / "docs/trace.md").read_text()
problems = []
current = None
count = 0
for match in re.finditer(r"([A-Za-z0-9_./-]+\.(?:cpp|hpp|py|md))?:(\d+)(?:-(\d+))?", text):
    path, first, last = match.group(1), int(match.group(2)), match.group(3)
    if path:
        current = path
    if current is None:
        continue
    file = root / current
    if not file.is_file():
        problems.append(f"{current} (cited as {match.group(0)}) does not exist")
        continue
    lines = file.read_text().count("\n") + 1
    end = int(last) if last else first
    if not 1 <= first <= end <= lines:
        problems.append(f"{match.group(0)}: {current} has {lines} lines")
    count += 1
for p in problems:
    print("trace.md:", p)
print(f"trace.md: {count} citations checked, {len(problems)} wrong")
sys.exit(1 if problems or count == 0 else 0)
