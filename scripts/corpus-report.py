#!/usr/bin/env python3
"""Realism report over a corpus with a MANIFEST.tsv (such as ../shared/corpus).

Usage: scripts/corpus-report.py CORPUS_DIR [PODIUM_BINARY]

Runs `podium inspect --json` on every file listed in CORPUS_DIR/MANIFEST.tsv and prints:
- dates: how many files get the manifest's date, and every miss with podium's date and source;
- anonymous answers: the share of `A:` / `答：` paragraphs (counted in the raw files) that belong
  to a transcript where podium attributes answers to a named spokesperson;
- speakers: the top 20 speakers per source directory, by passages.
"""
import collections
import csv
import json
import os
import re
import subprocess
import sys

root = sys.argv[1]
binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/podium"
manifest = list(csv.DictReader(open(os.path.join(root, "MANIFEST.tsv"), encoding="utf-8"), delimiter="\t"))
paths = [row["path"] for row in manifest]

transcripts = []
for i in range(0, len(paths), 500):
    batch = paths[i : i + 500]
    out = subprocess.run([binary, "inspect", "--json", *batch], cwd=root, capture_output=True, check=False)
    if out.returncode not in (0, 2):
        sys.exit(f"podium inspect failed: {out.stderr.decode()}")
    transcripts.extend(json.loads(out.stdout))

by_path = collections.defaultdict(list)
for t in transcripts:
    by_path[t["path"].split("#")[0]].append(t)

# Dates.
misses = []
for row in manifest:
    got = by_path.get(row["path"], [{}])[0]
    if got.get("date") != row["date"]:
        misses.append((row["path"], row["date"], got.get("date"), got.get("date_source")))
print(f"dates: {len(manifest) - len(misses)} of {len(manifest)} files get the manifest's date "
      f"({100 * (len(manifest) - len(misses)) / len(manifest):.2f}%)")
for m in misses:
    print(f"  miss: {m[0]}: manifest {m[1]}, podium {m[2]} (from {m[3]})")

# Anonymous answers.
answer_line = re.compile(r"^[\s\u3000]*(A:|答[:：])")
total = resolved = 0
unresolved_files = []
for path in paths:
    if not path.startswith("mfa-"):
        continue
    count = sum(1 for line in open(os.path.join(root, path), encoding="utf-8") if answer_line.match(line))
    if not count:
        continue
    total += count
    passages = [p for t in by_path[path] for p in t["passages"]]
    # The passages of A:/答： turns (by their label as written), else every answer.
    answers = [p for p in passages if p.get("label") in ("A", "答")] if "label" in (passages or [{}])[0] else [
        p for p in passages if p["role"] == "answer"]
    if any(p["speaker"] is None for p in answers):
        unresolved_files.append((path, count, by_path[path][0]["title"]))
    else:
        resolved += count
print(f"anonymous answers: {resolved} of {total} A:/答： paragraphs carry the spokesperson "
      f"({100 * resolved / max(total, 1):.2f}%)")
for f in unresolved_files:
    print(f"  unresolved: {f[0]} ({f[1]} answers): title {f[2]!r}")

# Speakers per source: coverage (a speaker or the question role), the top speakers, and every
# (source, speaker, passages) row to SPEAKERS_TSV when that variable names a file.
top_n = int(os.environ.get("TOP", "20"))
counts = collections.defaultdict(collections.Counter)
covered = collections.Counter()
passages_per_source = collections.Counter()
for t in transcripts:
    source = t["path"].split("/")[0]
    if source in ("wh-en", "pacific-hansard-en", "audreyt-transcript"):
        source = "/".join(t["path"].split("/")[:2])
    for p in t["passages"]:
        passages_per_source[source] += 1
        if p["speaker"] or p["role"] == "question":
            covered[source] += 1
        if p["speaker"]:
            counts[source][p["speaker"]] += 1
for source in sorted(passages_per_source):
    n = passages_per_source[source]
    print(f"coverage, {source}: {covered[source]} of {n} passages have a speaker or the question role "
          f"({100 * covered[source] / max(n, 1):.1f}%)")
for source in sorted(counts):
    top = counts[source].most_common(top_n)
    print(f"top speakers, {source}: " + ", ".join(f"{name} {n}" for name, n in top))
if os.environ.get("SPEAKERS_TSV"):
    with open(os.environ["SPEAKERS_TSV"], "w", encoding="utf-8") as out:
        for source in sorted(counts):
            for name, n in counts[source].most_common():
                out.write(f"{source}\t{name}\t{n}\n")
