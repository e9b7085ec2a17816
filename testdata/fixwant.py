#!/usr/bin/env python3
"""Resolves placeholders in want comments (development aid, not test input).

  // want +@@ `rx`          -> +N, N = distance to the next YAML "image:" line
  @@LINE:text@@ in a regexp -> the number of the first line containing text
"""
import re, sys
for path in sys.argv[1:]:
    lines = open(path).read().split("\n")
    out = []
    for i, l in enumerate(lines):
        if "// want +@@" in l:
            for j in range(i + 1, len(lines)):
                if re.match(r"^\s*-?\s*image:\s", lines[j]):
                    l = l.replace("+@@", "+%d" % (j - i))
                    break
            else:
                sys.exit("%s:%d: no image line" % (path, i + 1))
        for m in re.finditer(r"@@LINE:(.*?)@@", l):
            text = m.group(1)
            n = next(k for k, x in enumerate(lines) if text in x and "@@LINE" not in x) + 1
            l = l.replace(m.group(0), str(n))
        out.append(l)
    open(path, "w").write("\n".join(out))
