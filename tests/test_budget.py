"""A brief stays within `briefs.max_words`: quotes are cut at a sentence and fewer parts shown."""

from __future__ import annotations

import re
from pathlib import Path

from tests.briefcheck import check_brief, reading_words, section
from tests.conftest import copy_demo, run

_QUOTE_END = re.compile(r"^> (.*?)(?: <span class=\"bd-permalink\">.*)?$")


def test_a_tight_word_bound_holds_on_the_demo(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "demo")
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("briefs:\n", "briefs:\n  max_words: 1500\n"), encoding="utf-8")
    result = run("build", "--project", root, "--markdown-only")
    assert result.exit_code == 0, result.output
    docs = root / "build/docs"
    cut = []
    for brief in sorted((docs / "topics").glob("*.md")):
        words = check_brief(docs, brief.stem)
        assert words <= 1500, (brief.name, words)
        for line in section(brief.read_text(encoding="utf-8"), "Latest developments").splitlines():
            match = _QUOTE_END.match(line)
            if match and match[1].endswith(" …"):
                cut.append(match[1])
    assert cut, "no quote was cut at 1,500 words"
    for quote in cut:  # cut after a whole sentence
        assert re.search(r"[.!?][\"”’)]* …$", quote), quote


def test_the_default_bound_leaves_the_demo_whole(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "demo")
    result = run("build", "--project", root, "--markdown-only")
    assert result.exit_code == 0, result.output
    for brief in sorted((root / "build/docs/topics").glob("*.md")):
        text = brief.read_text(encoding="utf-8")
        assert reading_words(text) <= 4_000
        assert " … <span class=\"bd-permalink\">" not in text, brief.name
