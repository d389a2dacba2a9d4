"""Pasted-text benchmark: our cleaning of what a browser's clipboard holds, against the raw paste.

    .venv/bin/python -m benchmarks.paste [--limit N] [--worst 10] [--show ID]

``../shared/benchmarks/pasted-text/`` holds, for each of the 181 article-extraction pages, the
plain text Chromium puts on the clipboard: ``article/`` a selection from the headline to the end
of the story, ``page/`` the whole page. Each is cleaned with ``articles.cleaning.clean_pasted``
(pure: no database, no worker) and its ``text`` scored with the corpus's 4-token shingle metric
against the hand-marked article body, beside the raw paste kept as it is.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

from benchmarks.ingest import page_score, summary

BASE_DIR = Path(__file__).resolve().parent.parent
CORPUS = BASE_DIR.parent / "shared" / "benchmarks" / "pasted-text"
TRUTH = BASE_DIR.parent / "shared" / "benchmarks" / "article-extraction" / "ground-truth.json"
REGIONS = ("article", "page")
# Issue 12's targets: F1 (precision) per region.
TARGETS = {"article": (0.985, 0.975), "page": (0.92, 0.90)}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (by id)")
    parser.add_argument("--worst", type=int, default=10, help="list this many worst pages per region")
    parser.add_argument("--region", choices=REGIONS, help="only this region")
    parser.add_argument("--show", help="print the cleaned text of this page id (prefix) and its score")
    return parser.parse_args(argv)


def load(region: str, limit: int) -> list[tuple[str, str, str]]:
    """(id, pasted text, true article body) of each page."""
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    ids = sorted(truth)[: limit or None]
    return [
        (i, gzip.decompress((CORPUS / region / f"{i}.txt.gz").read_bytes()).decode("utf-8"), truth[i]["articleBody"])
        for i in ids
    ]


def clean(text: str) -> str:
    from articles.cleaning import CleaningError, clean_pasted

    try:
        return clean_pasted(text).text
    except CleaningError:
        return ""


def run_region(region: str, limit: int, worst: int) -> None:
    pages = load(region, limit)
    raw_scores, ours, seconds = [], {}, []
    for page_id, pasted, truth in pages:
        raw_scores.append(page_score(pasted, truth))
        start = time.process_time()
        text = clean(pasted)
        seconds.append(time.process_time() - start)
        ours[page_id] = page_score(text, truth)
    raw, cleaned = summary(raw_scores), summary(list(ours.values()))
    target_f1, target_precision = TARGETS[region]
    met = cleaned["f1"] >= target_f1 and cleaned["precision"] >= target_precision
    seconds.sort()
    print(f"\n{region}: {len(pages)} pages")
    print(f"  {'':24}{'precision':>10}{'recall':>10}{'F1':>8}")
    for name, row in (("the paste kept as it is", raw), ("our cleaning", cleaned)):
        print(f"  {name:24}{row['precision']:10.3f}{row['recall']:10.3f}{row['f1']:8.3f}")
    print(f"  target                  {target_precision:10.3f}{'':10}{target_f1:8.3f}  {'met' if met else 'MISSED'}")
    median = seconds[len(seconds) // 2] * 1000
    print(f"  CPU per article: median {median:.1f} ms, max {seconds[-1] * 1000:.1f} ms")
    print(f"  {worst} worst pages (F1, precision, recall):")
    by_f1 = sorted(ours.items(), key=lambda item: _f1(item[1]))
    for page_id, (precision, recall) in by_f1[:worst]:
        print(f"    {page_id[:12]}  {_f1((precision, recall)):.3f}  {precision or 0:.3f}  {recall or 0:.3f}")


def _f1(score: tuple[float | None, float | None]) -> float:
    precision, recall = (value or 0.0 for value in score)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def show(page_id: str, region: str) -> None:
    for full_id, pasted, truth in load(region, 0):
        if full_id.startswith(page_id):
            from articles.cleaning import clean_pasted

            cleaned = clean_pasted(pasted)
            print(f"title: {cleaned.title!r}\nstandfirst: {cleaned.standfirst!r}")
            print(f"authors: {cleaned.authors!r}  published: {cleaned.published}  site: {cleaned.site_name!r}")
            print("--- text ---")
            print(cleaned.text)
            print("--- removed ---")
            print("\n".join(cleaned.removed_boilerplate))
            print("--- score (precision, recall) ---", page_score(cleaned.text, truth))
            return


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not CORPUS.is_dir() or not TRUTH.is_file():
        print(f"Skipped: the pasted-text corpus is not at {CORPUS} (it lives in ../shared/).")
        return 0
    if args.show:
        show(args.show, args.region or "article")
        return 0
    for region in (args.region,) if args.region else REGIONS:
        run_region(region, args.limit, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
