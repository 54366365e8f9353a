"""`briefdesk build --pdf`: real WeasyPrint over the real demo site, read back with pypdf."""

from __future__ import annotations

import io
import os
import re
import time
import unicodedata
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from builder.diagnostics import Diagnostics
from builder.pipeline.options import BuildOptions
from builder.pipeline.pipeline import build
from tests.buildprocs import serving
from tests.conftest import ProjectFactory, copy_demo, run, run_without
from tests.sitecheck import tree_hashes

pytestmark = pytest.mark.slow



class Built:
    def __init__(self, root: Path, stderr: str) -> None:
        self.root = root
        self.site = root / "site"
        self.stderr = stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_demo(tmp_path_factory.mktemp("pdf") / "project")
    result = run("build", "--project", root, "--pdf")
    assert result.exit_code == 0, result.output
    return Built(root, result.stderr)


def brief_pages(site: Path) -> dict[str, Path]:
    """topic id -> the brief's built page (not its yearly archives)."""
    return {page.parent.name: page for page in sorted(site.glob("topics/*/index.html"))}


def words(text: str) -> str:
    """Text as comparable words: ligatures and quotes unfolded, punctuation and line breaks gone."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text)))


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def article(page: Path) -> lxml_html.HtmlElement:
    found = lxml_html.parse(str(page)).xpath("//article")
    assert found, page
    return found[0]


def test_every_brief_is_a_pdf_with_its_title_and_first_development_quote(demo: Built) -> None:
    pages = brief_pages(demo.site)
    assert sorted(p.stem for p in (demo.site / "pdf").glob("*.pdf")) == sorted(pages)
    assert len(pages) == len(list((demo.root / "content/topics").glob("*.md")))
    quoted = 0
    for topic, page in pages.items():
        body = article(page)
        title = body.xpath("string(.//h1)").replace("¶", "")
        developments = body.xpath("//h2[@id='latest-developments']/following-sibling::*")
        first_quote = next((e for e in developments if e.tag == "blockquote"), None)
        text = words(pdf_text(demo.site / "pdf" / f"{topic}.pdf"))
        assert words(title) in text, topic
        if first_quote is not None:
            quoted += 1
            # The quote as the reader reads it, without its link to the passage in context.
            quote = first_quote.xpath("(.//p)[1]//text()[not(ancestor::*[@class='bd-permalink'])]")
            assert len(words("".join(quote)).split()) >= 5
            assert words("".join(quote)) in text, topic
        # The print stylesheet holds: no navigation, no feed links, no permalink names.
        assert "Skip to content" not in text
        assert "Atom feed" not in text
        assert "in context" not in text
    assert quoted >= len(pages) - 2  # nearly every demo brief quotes a development


def test_a_pdf_prints_source_urls_and_links_to_the_published_site(demo: Built) -> None:
    page = brief_pages(demo.site)["us-relations"]
    sources = article(page).xpath(".//span[@class='bd-print-url']/preceding-sibling::a[1]/@href")
    assert sources
    reader = PdfReader(demo.site / "pdf/us-relations.pdf")
    text = "".join(pdf_text(demo.site / "pdf/us-relations.pdf").split())
    for url in sources:
        assert "".join(url.split()) in text  # wrapped lines put breaks inside long URLs
    uris = {
        str(annotation.get_object()["/A"].get("/URI"))
        for p in reader.pages
        for annotation in p.get("/Annots", [])
        if "/A" in annotation.get_object()
    }
    uris.discard("None")
    assert uris, "the PDF's links are live"
    assert not [u for u in uris if not u.startswith("https://")], "no file:// or relative links"
    assert "https://briefdesk.example.org/articles/" in " ".join(uris)
    assert reader.metadata is not None
    assert reader.metadata.title is not None and reader.metadata.title.startswith("Relations with the United States")
    last_updated = re.search(r"last updated (\d+ \w+ \d{4})", article(page).text_content())
    assert last_updated
    created = reader.metadata.creation_date
    assert created is not None and f"{created.day} {created:%B %Y}" == last_updated.group(1)


def test_the_brief_links_its_pdf_and_no_other_page_does(demo: Built) -> None:
    for topic, page in brief_pages(demo.site).items():
        links = lxml_html.parse(str(page)).xpath("//a[@type='application/pdf']")
        assert len(links) == 1, topic
        assert "PDF" in links[0].text_content()
        assert (page.parent / links[0].get("href")).resolve() == (demo.site / "pdf" / f"{topic}.pdf").resolve()
    for other in ("index.html", "timeline/index.html", "topics/ukraine/2021/index.html"):
        assert not lxml_html.parse(str(demo.site / other)).xpath("//a[@type='application/pdf']"), other


def test_the_pdf_stage_has_its_line(demo: Built) -> None:
    lines = {m.group(1): m.group(2) for m in re.finditer(r"^  (\w+) +\d+\.\d\d s: (.+)$", demo.stderr, re.M)}
    assert list(lines) == ["load", "route", "assemble", "render", "write", "mkdocs", "feeds", "pdf", "search"]
    assert lines["pdf"] == f"{len(brief_pages(demo.site))} PDFs of briefs"


def test_pdfs_are_the_same_bytes_built_twice_in_other_folders(demo: Built, tmp_path: Path) -> None:
    other = copy_demo(tmp_path / "elsewhere" / "project")
    result = run("build", "--project", other, "--pdf", "--no-cache", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    first = {p.name: p.read_bytes() for p in sorted((demo.site / "pdf").glob("*.pdf"))}
    second = {p.name: p.read_bytes() for p in sorted((tmp_path / "out/pdf").glob("*.pdf"))}
    assert first.keys() == second.keys() and first
    assert [name for name in first if first[name] != second[name]] == []


def test_an_edit_prints_again_only_the_briefs_it_changes(tmp_path: Path) -> None:
    # The next build is staged from the previous site: the PDFs of unchanged briefs are kept (hard
    # links), the others printed again into new files, never through a link into the old site.
    root = copy_demo(tmp_path / "desk")
    build(BuildOptions(root=root, pdf=True), Diagnostics())
    before = {p.name: p.read_bytes() for p in sorted((root / "site/pdf").glob("*.pdf"))}
    links = tmp_path / "links"
    links.mkdir()
    for name in before:
        os.link(root / "site/pdf" / name, links / name)
    article = root / "content/articles/2021/anchorage-us-china-talks.md"
    text = article.read_text(encoding="utf-8")
    assert "After the talks Blinken told reporters" in text
    article.write_text(text.replace("After the talks Blinken told reporters", "After the talks Blinken told journalists"), encoding="utf-8")

    report = build(BuildOptions(root=root, pdf=True), Diagnostics())

    printed = re.fullmatch(r"(\d+) PDFs? of briefs, (\d+) kept from the previous site", report.details["pdf"])
    assert printed, report.details["pdf"]
    assert 1 <= int(printed.group(1)) < len(before) and int(printed.group(2)) == len(before) - int(printed.group(1))
    after = {p.name: p.read_bytes() for p in sorted((root / "site/pdf").glob("*.pdf"))}
    assert after["us-relations.pdf"] != before["us-relations.pdf"]
    assert "After the talks Blinken told journalists" in pdf_text(root / "site/pdf/us-relations.pdf").replace("\n", " ")
    assert {p.name: p.read_bytes() for p in sorted(links.iterdir())} == before  # the old site is intact
    fresh = copy_demo(tmp_path / "fresh")
    (fresh / "content/articles/2021/anchorage-us-china-talks.md").write_bytes(article.read_bytes())
    build(BuildOptions(root=fresh, pdf=True, cache=False), Diagnostics())
    clean = {p.name: p.read_bytes() for p in sorted((fresh / "site/pdf").glob("*.pdf"))}
    assert [name for name in clean if clean[name] != after.get(name)] == []
    assert clean.keys() == after.keys()


def test_asking_for_pdfs_or_not_rebuilds_the_site(make_project: ProjectFactory) -> None:
    # The option is part of what the site is made from: neither build may say "up to date".
    root = make_project()
    assert run("build", "--project", root).exit_code == 0
    assert not (root / "site/pdf").exists()
    result = run("build", "--project", root, "--pdf")
    assert result.exit_code == 0, result.output
    assert "up to date" not in result.stderr
    assert sorted(p.name for p in (root / "site/pdf").iterdir()) == ["afghanistan.pdf", "myanmar.pdf"]
    assert b"application/pdf" in (root / "site/topics/afghanistan/index.html").read_bytes()
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    assert not (root / "site/pdf").exists()
    assert b"application/pdf" not in (root / "site/topics/afghanistan/index.html").read_bytes()


def test_without_a_site_url_the_pdf_keeps_link_text_but_no_local_links(make_project: ProjectFactory) -> None:
    root = make_project()
    result = run("build", "--project", root, "--pdf")
    assert result.exit_code == 0, result.output
    reader = PdfReader(root / "site/pdf/afghanistan.pdf")
    uris = {
        str(annotation.get_object()["/A"].get("/URI"))
        for p in reader.pages
        for annotation in p.get("/Annots", [])
        if "/A" in annotation.get_object() and annotation.get_object()["/A"].get("/URI")
    }
    assert uris == {"https://example.org/talks"}  # the source's own address only
    assert "Talks in Guilin" in pdf_text(root / "site/pdf/afghanistan.pdf")


def test_pdf_with_markdown_only_is_a_usage_error(make_project: ProjectFactory) -> None:
    root = make_project()
    result = run("build", "--project", root, "--pdf", "--markdown-only")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --pdf prints the HTML site's briefs, which --markdown-only does not build"
    )


def test_without_the_extra_pdf_is_one_line_and_the_last_site_stays(make_project: ProjectFactory) -> None:
    root = make_project()
    assert run("build", "--project", root).exit_code == 0
    before = tree_hashes(root / "site")
    result = run_without("weasyprint", "build", "--project", root, "--pdf")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == (
        "error: briefdesk build --pdf needs the Python package 'weasyprint', which cannot be imported "
        "(No module named 'weasyprint'); install Briefdesk with its 'pdf' extra "
        "(pip install 'briefdesk[pdf]', or pip install -e '.[pdf]' in its folder)"
    )
    assert tree_hashes(root / "site") == before


def test_pdf_true_in_site_config_makes_every_build_print_and_dropping_it_says_so(
    make_project: ProjectFactory,
) -> None:
    root = make_project({"site_config.yml": "site_name: Test desk\npdf: true\n"})
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "site/pdf").iterdir()) == ["afghanistan.pdf", "myanmar.pdf"]
    assert b"application/pdf" in (root / "site/topics/afghanistan/index.html").read_bytes()
    assert "removed" not in result.stderr
    # A plain build after the setting is gone drops the PDFs, and says so in one line.
    (root / "site_config.yml").write_text("site_name: Test desk\n")
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    assert not (root / "site/pdf").exists()
    notes = [line for line in result.stderr.splitlines() if "PDF" in line]
    assert notes == [
        "removed the 2 PDFs of briefs that an earlier build wrote to pdf/: this build made none "
        "(build --pdf, or 'pdf: true' in site_config.yml, keeps them)"
    ]
    # Said once: the next build has nothing to remove.
    (root / "content/articles/2021/talks.md").write_text(
        (root / "content/articles/2021/talks.md").read_text().replace("Myanmar.", "Burma.")
    )
    result = run("build", "--project", root)
    assert result.exit_code == 0 and "PDF" not in result.stderr, result.output
    # `pdf: true` under --markdown-only is no usage error: that build makes no HTML to print.
    (root / "site_config.yml").write_text("site_name: Test desk\npdf: true\n")
    assert run("build", "--project", root, "--markdown-only").exit_code == 0


def test_pdf_true_without_the_extra_names_the_setting(make_project: ProjectFactory) -> None:
    root = make_project({"site_config.yml": "site_name: Test desk\npdf: true\n"})
    result = run_without("weasyprint", "build", "--project", root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "error: pdf: true in site_config.yml needs the Python package 'weasyprint', which cannot be "
        "imported (No module named 'weasyprint'); install Briefdesk with its 'pdf' extra "
        "(pip install 'briefdesk[pdf]', or pip install -e '.[pdf]' in its folder)"
    )


def test_serve_honours_pdf_true_and_prints_an_edited_brief_again(make_project: ProjectFactory) -> None:
    root = make_project({"site_config.yml": "site_name: Test desk\npdf: true\n"})
    with serving(root) as (url, lines):

        def wait(condition: Callable[[], bool], what: str) -> None:
            deadline = time.monotonic() + 120
            while not condition():
                assert time.monotonic() < deadline, f"timed out waiting for {what}: {lines}"
                time.sleep(0.2)

        with urllib.request.urlopen(f"{url}pdf/myanmar.pdf", timeout=10) as response:
            assert response.status == 200 and response.read().startswith(b"%PDF")
        assert "Myanmar" in pdf_text(root / "site/pdf/myanmar.pdf")
        article = root / "content/articles/2021/talks.md"
        article.write_text(article.read_text().replace("They also discussed Myanmar.", "Burma's junta was discussed too."))

        def printed_again() -> bool:
            try:
                return "junta" in pdf_text(root / "site/pdf/myanmar.pdf")
            except FileNotFoundError:  # between the old site and the new one being swapped in
                return False

        wait(printed_again, "the brief's PDF printed again")
