"""`briefdesk import`: clipped text and saved pages become clean, valid drafts; bad input is refused."""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.authoring import clipping, dates
from builder.authoring.charset import decode
from builder.cli.authoring import import_command
from builder.content.sourcefiles import split_front_matter
from builder.content.yamlsafe import load_yaml
from builder.markdown.passages import split_passages
from tests.conftest import REPO, ProjectFactory, run, run_without, shared

SEED_TITLE = "China, Russia discuss strategic regional, global issues"
ARTICLE_OF_CLIPPING = "content/articles/2021/2021-06-14-ministers-agree-on-a-new-arctic-council.md"


def invoke(*args: str | Path, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(import_command, [str(a) for a in args], input=stdin, catch_exceptions=False)


def written(project: Path, output: str) -> tuple[dict[str, object], str]:
    """The front matter and body of the file an import reported writing."""
    first = output.splitlines()[0]
    path = Path(first.split(" ", 1)[1].split(" (", 1)[0])
    text = (path if path.is_absolute() else Path.cwd() / path).read_text(encoding="utf-8")
    split = split_front_matter(text)
    meta = load_yaml(split.meta_text).value
    assert isinstance(meta, dict)
    return meta, split.body


def passage_texts(body: str) -> list[str]:
    return [p.text for p in split_passages(body)[0]]


def checked(project: Path, *extra: str) -> Result:
    return run("check", "--project", project, *extra)


@pytest.fixture
def demo_project(tmp_path: Path) -> Path:
    """The demo site's settings, topics and actors (no articles), copied into tmp_path."""
    root = tmp_path / "demo"
    (root / "content").mkdir(parents=True)
    shutil.copy(REPO / "site_config.yml", root / "site_config.yml")
    for folder in ("topics", "actors"):
        shutil.copytree(REPO / "content" / folder, root / "content" / folder)
    return root


# --- the seed: the clipping the project started from -------------------------------------------


def test_seed_becomes_a_clean_draft(demo_project: Path) -> None:
    seed = shared("seed", "guilin-meeting-2021-03-22.txt")
    result = invoke(seed, "--project", demo_project)
    assert result.exit_code == 0, result.output + result.stderr
    relative = "content/articles/2021/2021-03-22-china-russia-discuss-strategic-regional-global-issues.md"
    assert (
        result.stdout.splitlines()[0]
        == f"wrote {demo_project.as_posix()}/{relative} (a draft, from a clipped text)"
    )
    assert f"  title    {SEED_TITLE}  [the clipping's first line]" in result.stdout
    assert '  date     2021-03-22  [a photo caption: "March 22, 2021"]' in result.stdout
    assert result.stderr == (
        "warning: no source found; the draft says 'source: TODO': name the publisher before "
        "publishing (or pass --source NAME)\n"
    )

    meta, body = written(demo_project, result.stdout)
    assert meta["title"] == SEED_TITLE
    assert meta["date"] == "2021-03-22"
    assert meta["draft"] is True
    assert {"afghanistan", "myanmar", "iran-nuclear"} <= set(meta["topics"])  # type: ignore[arg-type]
    assert {"china", "russia", "wang-yi", "sergei-lavrov"} <= set(meta["actors"])  # type: ignore[arg-type]
    passages = passage_texts(body)
    assert passages[0].startswith("BEIJING, China: ")  # the dateline is kept

    # Every line of debris, read from the seed itself: the breadcrumb and reading time above the
    # article, the photo caption inside it, and everything from the first "Load More" on.
    lines = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
    end = next(i for i, line in enumerate(lines) if line.startswith("Load More"))
    debris = [lines[0], lines[2], *(line for line in lines if line.endswith("/CMG")), *lines[end:]]
    assert lines[0].startswith("Home") and "min read" in lines[2]
    for line in debris:
        assert all(line not in passage for passage in passages), line
    article_lines = [line for line in lines[3:end] if line not in debris]
    assert passages == article_lines

    # The draft is valid; its placeholder source is a warning until the editor names the publisher,
    # and an error once the draft is published with it.
    result = checked(demo_project)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 errors, 1 warning" in result.stderr
    assert result.stdout.splitlines() == [
        f"{relative}:4: warning: 'source' is still the placeholder 'TODO': name the publisher before publishing"
    ]


def test_suggestions_leave_out_topics_named_only_in_a_list_or_in_passing(demo_project: Path) -> None:
    seed = shared("seed", "guilin-meeting-2021-03-22.txt")
    result = invoke(seed, "--project", demo_project)
    listed = next(line for line in result.stdout.splitlines() if "named in passing or in a list" in line)
    meta, _ = written(demo_project, result.stdout)
    assert meta["topics"] == ["afghanistan", "iran-nuclear", "myanmar", "us-relations"]
    for topic in ("syria", "sudan", "un-reform", "covid-19"):
        assert topic in listed
        assert topic not in meta["topics"]  # type: ignore[operator]


# --- never overwrite; standard input -----------------------------------------------------------

CLIPPING = """\
    Home › World › Europe

    Ministers agree on a new Arctic council

    3 min read

    By Jane Doe

    Published: 14 June 2021

    OSLO, Norway: Foreign ministers of the Arctic states agreed on Monday to set up a new council on shipping.

    The council will meet twice a year, the ministers said in a joint statement.

    Photo: Ministers at the meeting in Oslo. (Reuters)

    Share this article

    Sign up for our daily newsletter by email

    Related Articles

    Another story entirely
    """


ARCTIC = "content/articles/2021/2021-06-14-ministers-agree-on-a-new-arctic-council.md"
FORCE_RULE = (
    "nothing written (--force only replaces a draft that is unchanged since it was imported; pass "
    "--title to import it under another name, or delete the file first)\n"
)


def test_an_existing_draft_is_never_overwritten(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = make_project()
    page = tmp_path / "clip.txt"
    page.write_text(textwrap.dedent(CLIPPING), encoding="utf-8")
    first = invoke(page, "--project", project)
    assert first.exit_code == 0, first.stderr
    target = project / ARTICLE_OF_CLIPPING

    again = invoke(page, "--project", project)
    assert again.exit_code == 1
    assert again.stderr == (
        f"error: {ARCTIC} already exists; nothing written (use --force to replace it)\n"
    )

    # Unchanged since the import, still a draft: --force imports it again (another source here).
    forced = invoke(page, "--project", project, "--force", "--source", "Xinhua")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stdout.startswith("replaced ")
    assert "source: Xinhua" in target.read_text(encoding="utf-8")
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temporary left
    # ... and again: what the last import wrote is what --force may replace.
    assert invoke(page, "--project", project, "--force").exit_code == 0


def test_force_never_replaces_an_edited_draft(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = make_project()
    page = tmp_path / "clip.txt"
    page.write_text(textwrap.dedent(CLIPPING), encoding="utf-8")
    assert invoke(page, "--project", project).exit_code == 0
    target = project / ARTICLE_OF_CLIPPING
    target.write_text(target.read_text(encoding="utf-8") + "\nThe editor's own paragraph.\n", encoding="utf-8")
    edited = target.read_text(encoding="utf-8")

    forced = invoke(page, "--project", project, "--force")
    assert forced.exit_code == 1
    assert forced.stderr == (
        f"error: {ARCTIC} already exists and was changed since it was imported (or not imported here); "
        + FORCE_RULE
    )
    assert target.read_text(encoding="utf-8") == edited


def test_force_never_replaces_a_published_article(make_project: ProjectFactory) -> None:
    # The case: the seed clipping imported, published (draft: true deleted), a paragraph added.
    project = make_project()
    seed = shared("seed", "guilin-meeting-2021-03-22.txt")
    first = invoke(seed, "--project", project, "--source", "CGTN")
    assert first.exit_code == 0, first.stderr
    target = project / "content/articles/2021/2021-03-22-china-russia-discuss-strategic-regional-global-issues.md"
    relative = target.relative_to(project).as_posix()
    assert target.is_file(), first.stdout
    text = target.read_text(encoding="utf-8").replace("draft: true\n", "")
    target.write_text(text + "\nThe desk's own note on the meeting.\n", encoding="utf-8")
    published = target.read_text(encoding="utf-8")

    forced = invoke(seed, "--project", project, "--source", "CGTN", "--force")
    assert forced.exit_code == 1
    assert forced.stderr == f"error: {relative} already exists and is no longer a draft; " + FORCE_RULE
    assert target.read_text(encoding="utf-8") == published
    # A draft put back as it was is still not the import's once anything else changed.
    target.write_text(published.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    assert invoke(seed, "--project", project, "--source", "CGTN", "--force").exit_code == 1


def test_force_refuses_a_draft_it_has_no_record_of(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = make_project()
    page = tmp_path / "clip.txt"
    page.write_text(textwrap.dedent(CLIPPING), encoding="utf-8")
    assert invoke(page, "--project", project).exit_code == 0
    shutil.rmtree(project / "build")  # a fresh clone: nothing says this draft is the import's
    forced = invoke(page, "--project", project, "--force")
    assert forced.exit_code == 1
    assert "was changed since it was imported (or not imported here)" in forced.stderr


def test_standard_input_is_read_with_a_dash(make_project: ProjectFactory) -> None:
    project = make_project()
    result = invoke(
        "-", "--project", project, "--source", "Arctic Today", stdin=textwrap.dedent(CLIPPING).encode()
    )
    assert result.exit_code == 0, result.stderr
    meta, body = written(project, result.stdout)
    assert meta == {
        "title": "Ministers agree on a new Arctic council",
        "date": "2021-06-14",
        "source": "Arctic Today",
        "topics": [],
        "actors": [],
        "draft": True,
    }
    assert passage_texts(body) == [
        "OSLO, Norway: Foreign ministers of the Arctic states agreed on Monday to set up a new council on shipping.",
        "The council will meet twice a year, the ministers said in a joint statement.",
    ]
    assert '  date     2021-06-14  [a date line: "14 June 2021"]' in result.stdout
    assert (
        "  dropped  breadcrumb, reading time, byline, date line, photo caption, share prompt, "
        "newsletter prompt, related-article teasers"
    ) in result.stdout
    assert checked(project).exit_code == 0


def test_flags_override_what_the_page_says(make_project: ProjectFactory) -> None:
    project = make_project()
    result = invoke(
        "-", "--project", project, "--title", "Arctic council agreed", "--date", "2021-06-15",
        "--url", "https://example.org/arctic", stdin=textwrap.dedent(CLIPPING).encode(),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    meta, _ = written(project, result.stdout)
    assert (meta["title"], meta["date"], meta["url"], meta["source"]) == (
        "Arctic council agreed",
        "2021-06-15",
        "https://example.org/arctic",
        "example.org",
    )


# --- saved web pages, in any declared charset --------------------------------------------------

PAGE = """\
    <!DOCTYPE html>
    <html lang="de"><head>
    {declaration}
    <title>Zürich hosts café talks on Arctic shipping | The Example Times</title>
    <meta property="og:title" content="Café talks in Zürich: what the ministers want">
    <meta property="og:site_name" content="The Example Times">
    <link rel="canonical" href="https://example.org/2021/06/zurich-cafe-talks">
    </head><body>
    <header><h1><a href="/">The Example Times</a></h1><nav><a href="/world">World</a></nav></header>
    <article>
    <h1><span class="kicker">Diplomatie</span> <span class="headline">Zürich hosts café talks on Arctic shipping</span></h1>
    <p class="byline">By Jürgen Müller · <time datetime="2021-06-15T09:30:00+02:00">15.06.2021</time></p>
    <p>ZÜRICH: Ministers from eight states met in a café on the Limmat on Tuesday to talk about shipping routes that open as the Arctic ice recedes, and about who should police them.</p>
    <figure><img src="x.jpg"><figcaption>Photo: The ministers before the talks. © Example/Agency</figcaption></figure>
    <p>"Naïve hopes are not a policy," the Norwegian minister said, calling for common rules on fuel, insurance and rescue before traffic grows further.</p>
    <p>The talks will continue in Tromsø in September, when officials are expected to present a draft of the rules for the ministers to approve.</p>
    <p>Sign up for our newsletter to get the day's news by email.</p>
    </article>
    <footer><p>Copyright The Example Times. All rights reserved. Contact us for licensing.</p></footer>
    </body></html>
    """

ENCODINGS = {
    "utf-8 declared": ("utf-8", '<meta charset="utf-8">'),
    "windows-1252 declared": ("cp1252", '<meta charset="windows-1252">'),
    "iso-8859-1 via http-equiv": (
        "latin-1",
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
    ),
    "utf-16 with a byte-order mark": ("utf-16", '<meta charset="utf-8">'),
    "utf-8 with a byte-order mark": ("utf-8-sig", ""),
    "utf-8 declared as windows-1252": ("utf-8", '<meta charset="windows-1252">'),
    "windows-1252 undeclared": ("cp1252", ""),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_web_pages_import_in_any_declared_charset(
    make_project: ProjectFactory, tmp_path: Path, name: str
) -> None:
    encoding, declaration = ENCODINGS[name]
    page = tmp_path / "page.html"
    page.write_bytes(textwrap.dedent(PAGE).format(declaration=declaration).encode(encoding))
    project = make_project()
    result = invoke(page, "--project", project)
    assert result.exit_code == 0, result.stderr
    meta, body = written(project, result.stdout)
    assert meta == {
        "title": "Zürich hosts café talks on Arctic shipping",
        "date": "2021-06-15",
        "source": "The Example Times",
        "url": "https://example.org/2021/06/zurich-cafe-talks",
        "topics": [],
        "actors": [],
        "draft": True,
    }
    passages = passage_texts(body)
    assert passages[0].startswith("ZÜRICH: Ministers from eight states met in a café on the Limmat")
    assert passages[1].startswith('"Naïve hopes are not a policy,"')
    assert passages[-1].startswith("The talks will continue in Tromsø in September")
    assert not [p for p in passages if "Photo:" in p or "newsletter" in p or "Copyright" in p]
    assert (
        "  date     2021-06-15  [the <time> element under the headline (2021-06-15T09:30:00+02:00)]"
        in result.stdout
    )
    assert checked(project).exit_code == 0


def test_decoding_trusts_a_byte_order_mark_then_utf8_then_the_declaration() -> None:
    text = "<meta charset='windows-1252'><p>Gdańsk – “quoted”</p>"
    # Valid UTF-8 wins over a stale single-byte declaration (a page re-saved as UTF-8).
    assert decode(text.encode("utf-8"), html=True) == decode(text.encode("utf-8"), html=False)
    assert decode(text.encode("utf-8"), html=True).text == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8"), html=True).how == "byte-order mark"
    latin = "<meta charset='windows-1252'><p>caf\xe9 \u201cquoted\u201d</p>"
    decoded = decode(latin.encode("cp1252"), html=True)
    assert (decoded.text, decoded.how) == (latin, "declared")


# --- refusals: one clear line, the right exit status -------------------------------------------


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (None, 2, "error: no such file: {page}\n"),
        (b"", 1, "error: {page} is empty: nothing to import\n"),
        (b" \n\t\n", 1, "error: {page} is empty: nothing to import\n"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            1,
            "error: {page} is a binary file (a NUL byte at offset 8); import reads a saved web page "
            "(HTML) or plain text\n",
        ),
        (
            b"Ministers meet\n\nThe ministers met on Monday and talked for a long time about everything.\n",
            1,
            "error: found no publication date in {page} (no date line, dateline, caption or page "
            "metadata); pass --date YYYY-MM-DD\n",
        ),
        (
            b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
            1,
            "error: found no article text in {page}: save the article's own page (not a front page), "
            "or copy its text into a .txt file and import that\n",
        ),
    ],
    ids=["missing", "empty", "blank", "binary", "no date", "no article"],
)
def test_bad_input_is_refused_in_one_line(
    make_project: ProjectFactory, tmp_path: Path, content: bytes | None, code: int, message: str
) -> None:
    page = tmp_path / "page.txt"
    if content is not None:
        page.write_bytes(content)
    result = invoke(page, "--project", make_project())
    assert (result.exit_code, result.stderr) == (code, message.format(page=page))
    assert result.stdout == ""


def test_a_folder_and_bad_flags_are_usage_errors(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = make_project()
    result = invoke(tmp_path, "--project", project)
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {tmp_path} is a folder; give the saved page's file (or - for standard input)\n",
    )
    result = invoke("-", "--project", project, "--date", "2021-02-30", "--url", "ftp://x", stdin=b"x")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --date: '2021-02-30' is not a real calendar date (February 2021 has 28 days); "
        "--url: expected an http:// or https:// address, found 'ftp://x'\n",
    )


def test_a_folder_without_settings_is_not_a_project(tmp_path: Path) -> None:
    result = invoke("-", "--project", tmp_path, stdin=b"x")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path} is not a Briefdesk project: no site_config.yml")


# --- what trafilatura's first pass misses ----------------------------------------------------

SHORT_ITEM = """\
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8">
    <title>Port strike ends after three days | Harbour Daily</title>
    <meta property="og:site_name" content="Harbour Daily">
    </head><body>
    <h1>Port strike ends after three days</h1>
    <p class="dateline">June 3, 2021</p>
    <div class="article-comments">
    <p>Dock workers in the northern port returned to work on Thursday after union leaders and the port authority agreed on a new shift pattern and a one-off payment.</p>
    <p>The three-day stoppage had left more than forty container ships waiting at anchor and delayed deliveries of grain and fuel to the rest of the country.</p>
    <p>Both sides said talks on wages would resume next month under a mediator appointed by the labour ministry.</p>
    </div>
    <footer>Harbour Daily. All rights reserved.</footer>
    </body></html>
    """


def test_a_short_item_that_trafilatura_files_as_comments_is_imported(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    # A container whose class says "comments" makes trafilatura's main pass find only the headline,
    # while its comments pass (what trafilatura.extract returns by default) holds the article.
    from trafilatura import bare_extraction

    html = textwrap.dedent(SHORT_ITEM)
    first = bare_extraction(html, with_metadata=True, include_comments=False)
    assert first is None or "Dock workers" not in (first.text or "")
    page = tmp_path / "strike.html"
    page.write_text(html, encoding="utf-8")
    project = make_project()
    result = invoke(page, "--project", project)
    assert result.exit_code == 0, result.stderr
    meta, body = written(project, result.stdout)
    assert (meta["title"], meta["date"], meta["source"]) == (
        "Port strike ends after three days",
        "2021-06-03",
        "Harbour Daily",
    )
    passages = passage_texts(body)
    assert len(passages) == 3
    assert passages[0].startswith("Dock workers in the northern port returned to work on Thursday")
    assert passages[2].startswith("Both sides said talks on wages would resume next month")
    assert checked(project).exit_code == 0


@pytest.mark.parametrize(
    ("package", "named"),
    [
        # lxml's own shim raises a bare ImportError that names the package in its text only.
        ("lxml_html_clean", "lxml.html.clean module is now a separate project lxml_html_clean."),
        ("trafilatura", "No module named 'trafilatura'"),
    ],
)
def test_a_missing_package_is_one_line_naming_it(
    make_project: ProjectFactory, tmp_path: Path, package: str, named: str
) -> None:
    page = tmp_path / "page.html"
    page.write_text(textwrap.dedent(SHORT_ITEM), encoding="utf-8")
    project = make_project()
    before = sorted(project.rglob("*"))
    result = run_without(package, "import", page, "--project", project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        "error: briefdesk import of a saved web page needs the Python package 'trafilatura', "
        f"which cannot be imported ({named})"
    )
    assert sorted(project.rglob("*")) == before


# --- the cleaning rules, one by one ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("5 min read", "reading time"),
        ("Reading time: 4 minutes", "reading time"),
        ("The minister (L) greets her counterpart in Oslo, June 14, 2021. /Xinhua", "photo caption"),
        ("Rescue workers at the site on Monday. REUTERS/Jane Roe", "photo caption"),
        ("Rescue workers at the site on Monday. (AP Photo/John Doe)", "photo caption"),
        ("Protesters in the capital. [Photo/Agencies]", "photo caption"),
        ("Photo: Protesters in the capital", "photo caption"),
        ("© Example Agency", "photo caption"),
        ("Share on Facebook Twitter WhatsApp Email", "share prompt"),
        ("Click to share on Twitter (Opens in new window)", "share prompt"),
        ("Advertisement", "advertisement label"),
        ("Your email address will not be published. Required fields are marked *", "comment form"),
        ("Sign up here for our morning briefing", "newsletter prompt"),
    ],
)
def test_page_furniture_is_recognised(line: str, kind: str) -> None:
    assert clipping.furniture(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "WASHINGTON (Reuters) - The two sides agreed on Monday to resume talks.",
        "Senator Jane Roe (R) said on March 3, 2021 that she would vote against the bill.",
        "The ministers shared their views on the situation in Myanmar.",
        "He said the photo was taken in 2019.",
        "Subscribers to the treaty must report their emissions every year.",
        "More than two million readers subscribe to the newsletter, the company said.",
        "Goods can go by road and / or the rail.",
        "10 minutes.",
        "This story.",
    ],
)
def test_article_sentences_are_kept(line: str) -> None:
    assert clipping.furniture(line) is None


def test_everything_after_a_comment_form_or_check_also_is_dropped() -> None:
    clip = clipping.clean(
        "Talks resume in Geneva\n\nGENEVA: The talks resumed on Monday after a break of two weeks.\n\n"
        "Leave a Reply\n\nName *\n\nCheck Also\n\nAnother headline\n\nA teaser for another story."
    )
    assert clip.title == "Talks resume in Geneva"
    assert clip.paragraphs == ("GENEVA: The talks resumed on Monday after a break of two weeks.",)
    assert clip.removed == ("comment form", "'Check Also' teaser")


def test_a_headline_that_starts_like_a_breadcrumb_is_kept() -> None:
    clip = clipping.clean(
        "Home sales slump\n\nLONDON: Home sales fell in March for the third month running, agents said.\n\n"
        "More from the minister later.\n\nThe figures come out on Friday."
    )
    assert clip.title == "Home sales slump"
    assert clip.removed == ()
    assert len(clip.paragraphs) == 3


def test_hard_wrapped_text_joins_its_lines() -> None:
    clip = clipping.clean(
        "Talks resume in Geneva\n\nGENEVA: The talks resumed on Monday\nafter a break of two weeks,\n"
        "the ministers said.\n\nThey will meet again\nin a month, in Vienna,\nif all goes well.\n"
    )
    assert clip.paragraphs == (
        "GENEVA: The talks resumed on Monday after a break of two weeks, the ministers said.",
        "They will meet again in a month, in Vienna, if all goes well.",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in Oslo, Norway, March 22, 2021. /Xinhua", dt.date(2021, 3, 22)),
        ("Published 22 March 2021", dt.date(2021, 3, 22)),
        ("Mon, Mar. 22nd, 2021", dt.date(2021, 3, 22)),
        ("Stand: 22.03.2021 18:00 Uhr", dt.date(2021, 3, 22)),
        ("Written: 2021-03-22 15:03", dt.date(2021, 3, 22)),
        ("on 12/10/2020", None),  # day or month first? Not guessed.
        ("on February 30, 2021", None),
        ("in March 2021", None),
    ],
)
def test_written_dates(text: str, expected: dt.date | None) -> None:
    found = dates.dates_in(text)
    assert (found[0].date if found else None) == expected


def test_a_date_line_only_dates() -> None:
    assert dates.is_date_line("Updated 1015 GMT (1815 HKT) March 14, 2021")
    assert not dates.is_date_line("The talks ended on March 14, 2021 without a deal.")


SECTIONED_PAGE = """\
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8">
    <title>Council weighs Arctic shipping rules | The Example Times</title>
    </head><body><article>
    <h1>Council weighs Arctic shipping rules</h1>
    <p>Ministers from eight states met on Tuesday to discuss shipping routes that open as the Arctic ice recedes, and who should police them.</p>
    <h2>What the ministers want</h2>
    <p>The Norwegian minister called for common rules on fuel, insurance and rescue before traffic grows any further this decade.</p>
    <h4>Fuel</h4>
    <p>Heavy fuel oil would be banned north of the sixtieth parallel from 2024 under the draft that officials circulated this week.</p>
    <h2>What comes next</h2>
    <p>The talks will continue in Tromsø in September, when officials are expected to present a draft of the rules for approval.</p>
    </article></body></html>
    """


def test_imported_headings_sit_under_the_title_without_skipping(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_text(textwrap.dedent(SECTIONED_PAGE), encoding="utf-8")
    project = make_project()
    result = invoke(page, "--project", project)
    assert result.exit_code == 0, result.stderr
    _, body = written(project, result.stdout)
    headings = [line for line in body.splitlines() if line.startswith("#")]
    # The page's h4 sat right under an h2: it becomes the level below, not two levels below.
    assert headings == ["## What the ministers want", "### Fuel", "## What comes next"]


def test_actors_are_suggested_from_who_speaks_and_new_speakers_are_listed(
    demo_project: Path, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.txt"
    clip.write_text(
        "Delegation visits Tianjin\n\n"
        "TIANJIN: Chinese Foreign Minister Wang Yi met a delegation led by Mullah Abdul Ghani Baradar on "
        "Wednesday.\n\n"
        "Wang said the talks on Afghanistan were useful. Baradar told Wang the group wanted trade.\n\n"
        "He added that it hoped for help with roads. Russia was not represented.\n",
        encoding="utf-8",
    )
    result = invoke(clip, "--project", demo_project, "--source", "Xinhua", "--date", "2021-07-28")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "  actors   wang-yi (1 statement), china (named 1 time)" in lines
    assert "           named in passing, not added: russia (1 mention)" in lines
    assert "  speakers not yet actors: Mullah Abdul Ghani Baradar (2 statements)" in lines
    command = next(line.strip() for line in lines if line.startswith("    briefdesk new actor"))
    assert command == (
        "briefdesk new actor mullah-abdul-ghani-baradar --name 'Mullah Abdul Ghani Baradar' --alias Baradar "
        f"--kind person --project {demo_project.as_posix()}"
    )
    meta, _ = written(demo_project, result.stdout)
    assert meta["actors"] == ["wang-yi", "china"]
    added = run(*shlex.split(command)[1:])
    assert added.exit_code == 0, added.output
    assert (demo_project / "content/actors/mullah-abdul-ghani-baradar.md").is_file()
