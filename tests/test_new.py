"""`briefdesk new`: scaffolds that `briefdesk check` accepts, and refusals that name the flag."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.cli.authoring import import_command, new
from builder.content.sourcefiles import split_front_matter
from builder.content.yamlsafe import load_yaml
from builder.content.yamlwriter import front_matter, scalar
from tests.conftest import ProjectFactory, run

TODAY = "2021-03-22"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(new, [str(a) for a in args], catch_exceptions=False)


def check_passes(project: Path) -> None:
    result = run("check", "--project", project, "--strict")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_new_article_is_valid_and_printed(make_project: ProjectFactory) -> None:
    project = make_project()
    result = invoke(
        "article", "Guilin talks: what's next?", "--source", "CGTN", "--date", TODAY,
        "--url", "https://example.org/guilin", "--project", project,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    path = "content/articles/2021/2021-03-22-guilin-talks-what-s-next.md"
    assert result.stdout == (
        f"wrote {project.as_posix()}/{path}\n"
        "next: write the text below the front matter, one paragraph per passage\n"
    )
    assert (project / path).read_text(encoding="utf-8") == (
        "---\n"
        'title: "Guilin talks: what\'s next?"\n'
        "date: 2021-03-22\n"
        "source: CGTN\n"
        "url: https://example.org/guilin\n"
        "topics: []\n"
        "actors: []\n"
        "---\n"
    )
    check_passes(project)


def test_new_article_defaults_to_today_and_can_be_a_draft(make_project: ProjectFactory) -> None:
    project = make_project()
    result = invoke("article", "NO", "--source", "2013", "--draft", "--project", project)
    assert result.exit_code == 0, result.stderr
    today = dt.date.today()
    path = project / f"content/articles/{today.year}/{today.isoformat()}-no.md"
    meta = load_yaml(path.read_text(encoding="utf-8").split("---")[1]).value
    # YAML would read NO as false and 2013 as a number: both are written so they stay text.
    assert meta == {
        "title": "NO",
        "date": today.isoformat(),
        "source": "2013",
        "topics": [],
        "actors": [],
        "draft": True,
    }
    check_passes(project)


def test_new_article_needs_a_source(make_project: ProjectFactory) -> None:
    result = invoke("article", "Talks", "--project", make_project())
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --source is required: name the publisher, e.g. --source Reuters\n",
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--date", "22.03.2021"],
            "--date: expected a date written YYYY-MM-DD (e.g. 2021-03-22), found '22.03.2021'",
        ),
        (
            ["--date", "2021-02-29"],
            "--date: '2021-02-29' is not a real calendar date (February 2021 has 28 days)",
        ),
        (
            ["--url", "www.example.org"],
            "--url: expected an http:// or https:// address, found 'www.example.org'",
        ),
        (["--source", " "], "--source: must not be empty"),
    ],
)
def test_new_article_names_the_bad_flag(make_project: ProjectFactory, flags: list[str], message: str) -> None:
    project = make_project()
    args = ["article", "Talks", "--project", str(project), *flags]
    if "--source" not in flags:
        args += ["--source", "CGTN"]
    result = invoke(*args)
    assert (result.exit_code, result.stderr) == (2, f"error: {message}\n")
    assert not (project / "content/articles/2021/2021-03-22-talks.md").exists()


def test_new_never_overwrites(make_project: ProjectFactory) -> None:
    project = make_project()
    assert invoke("topic", "arctic", "--title", "Arctic", "--project", project).exit_code == 0
    target = project / "content/topics/arctic.md"
    target.write_text(target.read_text(encoding="utf-8") + "The editors' overview.\n", encoding="utf-8")
    before = target.read_text(encoding="utf-8")
    result = invoke("topic", "arctic", "--title", "The Arctic", "--project", project)
    assert (result.exit_code, result.stderr) == (
        1,
        "error: content/topics/arctic.md already exists; nothing written (edit it, or choose another name)\n",
    )
    assert target.read_text(encoding="utf-8") == before


def test_new_topic(make_project: ProjectFactory) -> None:
    project = make_project()
    result = invoke(
        "topic", "iran-nuclear", "--title", "Iran nuclear issue", "--alias", "JCPOA",
        "--alias", "Iran's nuclear", "--region", "Middle East", "--project", project,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (project / "content/topics/iran-nuclear.md").read_text(encoding="utf-8") == (
        "---\n"
        "title: Iran nuclear issue\n"
        "aliases:\n"
        "  - Iran nuclear issue\n"
        "  - JCPOA\n"
        "  - Iran's nuclear\n"
        "region: Middle East\n"
        "---\n"
    )
    check_passes(project)


def test_new_topic_warns_about_a_shared_alias(make_project: ProjectFactory) -> None:
    project = make_project()
    result = invoke(
        "topic", "afghan-peace", "--title", "Afghan peace process", "--alias", "Kabul", "--project", project
    )
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: alias 'Kabul' is also an alias of afghanistan; a mention counts for both "
        "(briefdesk check --strict fails on this)\n"
    )


@pytest.mark.parametrize("what", ["topic", "actor"])
def test_new_refuses_a_bad_id(make_project: ProjectFactory, what: str) -> None:
    name_flag = "--title" if what == "topic" else "--name"
    result = invoke(what, "Iran Nuclear", name_flag, "Iran", "--project", make_project())
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: 'Iran Nuclear' is not a valid {what} id: use lower-case letters, digits and single "
        "hyphens, e.g. 'iran-nuclear'\n",
    )


@pytest.mark.parametrize(
    ("topic_id", "message"),
    [
        ("index", "'index' cannot be a topic id: choose another"),
        ("a" * 101, "the topic id is 101 characters long; the limit is 100"),
    ],
)
def test_new_refuses_ids_that_check_refuses(
    make_project: ProjectFactory, topic_id: str, message: str
) -> None:
    result = invoke("topic", topic_id, "--title", "Index", "--project", make_project())
    assert (result.exit_code, result.stderr) == (2, f"error: {message}\n")


def test_new_actor(make_project: ProjectFactory) -> None:
    project = make_project()
    result = invoke(
        "actor", "wang-yi", "--name", "Wang Yi", "--alias", "Chinese Foreign Minister",
        "--kind", "person", "--project", project,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {project.as_posix()}/content/actors/wang-yi.md\n"
    assert (project / "content/actors/wang-yi.md").read_text(encoding="utf-8") == (
        "---\nname: Wang Yi\naliases:\n  - Wang Yi\n  - Chinese Foreign Minister\nkind: person\n---\n"
    )
    check_passes(project)


def test_new_outside_a_project_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("actor", "un", "--name", "United Nations", "--project", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path} is not a Briefdesk project: no site_config.yml")
    assert not (tmp_path / "content").exists()


def test_commands_work_under_the_main_group(make_project: ProjectFactory) -> None:
    """Registered on a group, as builder.cli will, the commands keep their names and behaviour."""
    group = click.Group(commands={"import": import_command, "new": new})
    result = CliRunner().invoke(
        group, ["new", "actor", "un", "--name", "United Nations", "--project", str(make_project())]
    )
    assert result.exit_code == 0, result.stderr
    assert import_command.name == "import" and new.name == "new"


# --- the YAML writer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Talks in Guilin", "Talks in Guilin"),
        ("NO", '"NO"'),  # text to Briefdesk, but false to YAML 1.1 tools
        ("yes", '"yes"'),
        ("Norway", "Norway"),
        ("true", '"true"'),
        ("null", '"null"'),
        ("2013", '"2013"'),
        ("1.5", '"1.5"'),
        ("Iran: what next", '"Iran: what next"'),
        ("- a dash", '"- a dash"'),
        ("#1 story", '"#1 story"'),
        ("[draft]", '"[draft]"'),
        ("it's", "it's"),
        ('"quoted"', '"\\"quoted\\""'),
        ("a\u2028b", '"a\\u2028b"'),
        ("bell\x07", '"bell\\x07"'),
    ],
)
def test_scalars_are_quoted_only_when_yaml_would_misread_them(text: str, written: str) -> None:
    assert scalar(text) == written
    assert load_yaml(f"key: {written}\n").value == {"key": text}


def test_front_matter_round_trips_through_the_loader() -> None:
    @settings(max_examples=300, deadline=None)
    @given(
        st.text(min_size=1, max_size=40),
        st.lists(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True), max_size=3),
    )
    def round_trip(title: str, ids: list[str]) -> None:
        text = front_matter({"title": title, "topics": ids, "draft": True})
        meta = split_front_matter(text).meta_text
        assert load_yaml(meta).value == {"title": title, "topics": ids, "draft": True}

    round_trip()
