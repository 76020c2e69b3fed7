#!/usr/bin/env python3
"""Refreshes every code block preceded by <!-- snippet: path#tag --> in README.md and docs/*.md
from the region between tag::tag[] and end::tag[] in that source file. DocsSnippetsTest (in the
samples module) fails when a block and its source differ; run this to bring them back in line."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent


def dedent(lines):
    widths = [len(l) - len(l.lstrip()) for l in lines if l.strip()]
    cut = min(widths) if widths else 0
    return [l[cut:] if l.strip() else "" for l in lines]


def region(path, tag):
    lines = (root / path).read_text().splitlines()
    start = None
    for i, line in enumerate(lines):
        if f"tag::{tag}[]" in line and "end::" not in line:
            start = i + 1
        elif f"end::{tag}[]" in line and start is not None:
            return dedent(lines[start:i])
    sys.exit(f"no region {tag} in {path}")


def refresh(doc):
    lines = doc.read_text().splitlines()
    out, i = [], 0
    while i < len(lines):
        out.append(lines[i])
        m = re.match(r"<!-- snippet: (\S+)#(\S+) -->", lines[i])
        if m and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            out.append(lines[i + 1])
            j = i + 2
            while j < len(lines) and lines[j] != "```":
                j += 1
            out.extend(region(m.group(1), m.group(2)))
            out.append("```")
            i = j + 1
            continue
        i += 1
    doc.write_text("\n".join(out) + "\n")


for doc in [root / "README.md", *sorted((root / "docs").rglob("*.md"))]:
    refresh(doc)
