"""A real-size archive from the real UN speeches: `python -m bench.realproxy COPIES TARGET`.

The generated corpus's articles are short (about 940 words); a real archive is not. This copies
the UN General Debate project of 2015-2018 (779 speeches of about 3,000 words each) COPIES times,
each copy moved back four years per step (copy 1 is 2011-2014, copy 13 is 1963-1966), so that 14
copies make 10,906 speeches over 56 sessions: the byte size of every General Debate since 1946
with the real texts' lengths, quoting, dashes and topic mix. Bodies are kept byte for byte; only the
front matter's date, title, session number and the file's name follow the shift, so every slug is
unique and every year page is a real one. Topics, actors and site_config.yml are the source's.

Deterministic: the same source and COPIES give the same files.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

YEARS_PER_COPY = 4
"""The source spans four sessions, so shifting by four years makes the copies tile the calendar."""
FIRST_SESSION_YEAR = 1945
"""Session N of the General Assembly opened in 1945 + N."""

_DATE = re.compile(r"^date: (\d{4})(-\d{2}-\d{2})\s*$", re.M)
_TITLE_YEAR = re.compile(r"^(title: .*)\((\d{4})\)", re.M)
_TITLE_SESSION = re.compile(r"\b(\d+)(st|nd|rd|th) UN General Debate")
_SESSION = re.compile(r"^(\s*un_session:) (\d+)\s*$", re.M)
_STEM = re.compile(r"^(?P<head>.*?)-(?P<session>\d+)-(?P<year>\d{4})$")


def ordinal(number: int) -> str:
    """English ordinal of a session number: 71st, 72nd, 73rd, 74th, 111th."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def shifted_front_matter(text: str, years: int) -> str:
    """Move one article's front matter back by `years`; its body is left as it is."""
    if not text.startswith("---"):
        return text
    end = text.index("\n---", 3)
    head, body = text[:end], text[end:]

    def date(match: re.Match[str]) -> str:
        year = int(match.group(1)) - years
        month_day = match.group(2)
        if month_day == "-02-29" and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            month_day = "-02-28"
        return f"date: {year:04d}{month_day}"

    head = _DATE.sub(date, head)
    head = _TITLE_YEAR.sub(lambda m: f"{m.group(1)}({int(m.group(2)) - years})", head)
    head = _TITLE_SESSION.sub(lambda m: f"{ordinal(int(m.group(1)) - years)} UN General Debate", head)
    head = _SESSION.sub(lambda m: f"{m.group(1)} {int(m.group(2)) - years}", head)
    return head + body


def shifted_path(relative: Path, years: int) -> Path:
    """content/articles/2018/vat-73-2018.md moved back four years: 2014/vat-69-2014.md."""
    match = _STEM.match(relative.stem)
    if match is None:  # not the corpus's naming: keep the name, make it unique by the shift
        return relative.with_name(f"{relative.stem}-{years}{relative.suffix}")
    year = int(match["year"]) - years
    stem = f"{match['head']}-{year - FIRST_SESSION_YEAR}-{year}"
    return relative.parent.parent / str(year) / f"{stem}{relative.suffix}"


def replicate(source: Path, target: Path, copies: int) -> int:
    """Write the real-size project into `target`; return how many articles it has."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("articles", "build", "site"))
    articles = source / "content" / "articles"
    count = 0
    for path in sorted(articles.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(articles)
        for copy in range(copies):
            years = copy * YEARS_PER_COPY
            out = target / "content" / "articles" / (shifted_path(relative, years) if years else relative)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(shifted_front_matter(text, years) if years else text, encoding="utf-8")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.realproxy", description=__doc__.splitlines()[0])
    parser.add_argument("copies", type=int, help="copies of the source corpus (14 gives 10,906 speeches)")
    parser.add_argument("target", type=Path, help="folder to write the project into (replaced)")
    parser.add_argument(
        "--source",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ungdc-2015-2018",
        help="the real project to replicate",
    )
    args = parser.parse_args()
    count = replicate(args.source, args.target, args.copies)
    print(f"wrote {count:,} articles to {args.target}")


if __name__ == "__main__":
    main()
