"""`briefdesk check`: every kind of bad input gets one exact, line-numbered diagnostic."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from builder.briefs.rendering import environment
from tests.conftest import ProjectFactory, run, write_files

ARTICLE = "content/articles/2021/talks.md"


def check(root: Path, *extra: str) -> tuple[int, list[str]]:
    result = run("check", "--project", root, *extra)
    lines = [line for line in result.stdout.splitlines() if line]
    return result.exit_code, lines


def test_valid_project_passes(make_project: ProjectFactory) -> None:
    code, lines = check(make_project())
    assert (code, lines) == (0, [])


def test_summary_names_counts_and_time(make_project: ProjectFactory) -> None:
    result = run("check", "--project", make_project())
    assert "checked 1 article, 2 topics, 1 actor in" in result.stderr
    assert "0 errors, 0 warnings" in result.stderr


def article(front: str, body: str = "Body text.\n") -> str:
    return f"---\n{front.strip()}\n---\n{body}"


CASES: list[tuple[str, str | bytes, list[str]]] = [
    (
        "malformed yaml",
        article("title: Talks\ndate: 2021-03-22\nsource: [CGTN"),
        [
            f"{ARTICLE}:4: error: the list opened with '[' on this line is never closed: end it with ']' "
            "on the same line"
        ],
    ),
    (
        "no front matter",
        "Just a body.\n",
        [
            f"{ARTICLE}:1: error: no front matter: the file must start with a line of three dashes "
            "(---), then YAML keys such as title, date and source, then another --- line"
        ],
    ),
    (
        "empty file",
        "",
        [
            f"{ARTICLE}:1: error: empty file: start with front matter between --- lines "
            "(title, date, source), then the body"
        ],
    ),
    (
        "front matter is a list",
        "---\n- title\n- date\n---\nBody\n",
        [f"{ARTICLE}:2: error: front matter is a list; it must be 'key: value' lines such as 'title: ...'"],
    ),
    (
        "front matter is a scalar",
        "---\njust words\n---\nBody\n",
        [
            f"{ARTICLE}:2: error: front matter is the text 'just words'; it must be 'key: value' "
            "lines such as 'title: ...'"
        ],
    ),
    (
        "empty front matter",
        "---\n---\nBody\n",
        [f"{ARTICLE}:1: error: front matter is empty: add title, date and source"],
    ),
    (
        "missing required keys",
        article("title: Talks"),
        [
            f"{ARTICLE}:1: error: missing required key 'date'",
            f"{ARTICLE}:1: error: missing required key 'source'",
        ],
    ),
    (
        "wrong types",
        article("title: 2013\ndate: 2021-03-22\nsource: CGTN\ntopics: afghanistan\ndraft: yes"),
        [
            f"{ARTICLE}:2: error: 'title': expected text, found the number 2013; put it in quotes",
            f"{ARTICLE}:5: error: 'topics': expected a list (e.g. [a, b], or one '- item' per line), "
            "found the text 'afghanistan'; write [afghanistan]",
            f"{ARTICLE}:6: error: 'draft': expected true or false, found the text 'yes'",
        ],
    ),
    (
        "impossible date",
        article("title: Talks\ndate: 2021-02-30\nsource: CGTN"),
        [f"{ARTICLE}:3: error: 'date': '2021-02-30' is not a real calendar date (February 2021 has 28 days)"],
    ),
    (
        "vague date",
        article("title: Talks\ndate: last Tuesday\nsource: CGTN"),
        [
            f"{ARTICLE}:3: error: 'date': expected a date written YYYY-MM-DD (e.g. 2021-03-22), "
            "found 'last Tuesday'"
        ],
    ),
    (
        "date with time zone",
        article("title: Talks\ndate: 2021-03-22 10:00:00 +08:00\nsource: CGTN"),
        [
            f"{ARTICLE}:3: error: 'date': expected a calendar date YYYY-MM-DD, found a date and time "
            "'2021-03-22 10:00:00 +08:00'; write the day the article appeared, e.g. 2021-03-22"
        ],
    ),
    (
        "unknown topic and actor ids",
        article("title: Talks\ndate: 2021-03-22\nsource: CGTN\ntopics: [afganistan]\nactors: [chna]"),
        [
            f"{ARTICLE}:5: error: unknown topic 'afganistan' in 'topics'. Did you mean 'afghanistan'?",
            f"{ARTICLE}:6: error: unknown actor 'chna' in 'actors'. Did you mean 'china'?",
        ],
    ),
    (
        "invalid slugs",
        article("title: Talks\ndate: 2021-03-22\nsource: CGTN\nslug: ../x"),
        [
            f"{ARTICLE}:5: error: 'slug': '../x' is not a valid id: use lower-case letters, digits "
            "and single hyphens, e.g. 'x'"
        ],
    ),
    (
        "slug with spaces and capitals",
        article("title: Talks\ndate: 2021-03-22\nsource: CGTN\nslug: Guilin Talks"),
        [
            f"{ARTICLE}:5: error: 'slug': 'Guilin Talks' is not a valid id: use lower-case letters, "
            "digits and single hyphens, e.g. 'guilin-talks'"
        ],
    ),
    (
        "javascript url",
        article("title: Talks\ndate: 2021-03-22\nsource: CGTN\nurl: javascript:alert(1)"),
        [f"{ARTICLE}:5: error: 'url': expected an http:// or https:// address, found 'javascript:alert(1)'"],
    ),
    (
        "non-utf-8",
        b"---\ntitle: Caf\xe9\ndate: 2021-03-22\nsource: CGTN\n---\nBody\n",
        [
            f"{ARTICLE}:2: error: not valid UTF-8: byte 0xE9 at byte offset 14 (invalid continuation "
            "byte); the file may be Latin-1 or Windows-1252: save it as UTF-8"
        ],
    ),
    (
        "binary",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        [f"{ARTICLE}:3: error: binary file (a NUL byte at byte offset 8): content files must be UTF-8 text"],
    ),
    (
        "utf-16",
        "---\ntitle: x\n---\n".encode("utf-16"),
        [f"{ARTICLE}:1: error: file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"],
    ),
    (
        "unknown key",
        article("title: Talks\ndate: 2021-03-22\nsource: CGTN\ntopcis: [afghanistan]"),
        [f"{ARTICLE}:5: warning: unknown key 'topcis'; it is ignored. Did you mean 'topics'?"],
    ),
    (
        "python object tag",
        article(
            "title: !!python/object/apply:os.system ['touch /tmp/pwned']\ndate: 2021-03-22\nsource: CGTN"
        ),
        [
            f"{ARTICLE}:2: error: YAML tag '!!python/object/apply:os.system' is not allowed: "
            "front matter holds plain text, numbers, lists and mappings only"
        ],
    ),
    (
        "duplicate key",
        article("title: Talks\ndate: 2021-03-22\nsource: CGTN\ntitle: Other"),
        [f"{ARTICLE}:5: error: key 'title' is written twice (first on line 2); keep one"],
    ),
    (
        "yaml 1.1 boolean stays text",
        article("title: NO\ndate: 2021-03-22\nsource: CGTN\ntags: [NO, yes]"),
        [],
    ),
    (
        "unclosed front matter",
        "---\ntitle: Talks\n",
        [
            f"{ARTICLE}:2: error: front matter opened on line 1 is never closed: add a line of three "
            "dashes (---) after line 2, its last key"
        ],
    ),
]


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_article_gets_exact_diagnostic(
    make_project: ProjectFactory, content: str | bytes, expected: list[str]
) -> None:
    root = make_project({ARTICLE: content})
    code, lines = check(root)
    assert lines == expected
    assert code == (1 if any(": error: " in line for line in expected) else 0)


def test_yaml_tag_is_never_executed(make_project: ProjectFactory, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    root = make_project(
        {
            ARTICLE: article(
                f"title: !!python/object/apply:os.system ['touch {marker}']\ndate: 2021-03-22\nsource: X"
            )
        }
    )
    check(root)
    assert not marker.exists()


def test_duplicate_slugs_name_both_files(make_project: ProjectFactory) -> None:
    root = make_project(
        {
            "content/articles/2021/a.md": article("title: A\ndate: 2021-01-01\nsource: X\nslug: same"),
            "content/articles/2022/b.md": article("title: B\ndate: 2022-01-01\nsource: X\nslug: same"),
        }
    )
    code, lines = check(root)
    assert code == 1
    assert lines == [
        "content/articles/2021/a.md:5: error: slug 'same' is also used by "
        "content/articles/2022/b.md; give one of them its own 'slug:'",
        "content/articles/2022/b.md:5: error: slug 'same' is also used by "
        "content/articles/2021/a.md; give one of them its own 'slug:'",
    ]


def test_the_same_body_twice_is_a_warning_naming_both_files(make_project: ProjectFactory) -> None:
    body = "Ministers met on Monday in the capital.\n\nThey agreed to meet again before the end of the year.\n"
    root = make_project(
        {
            "content/articles/2021/a.md": "---\ntitle: A\ndate: 2021-01-01\nsource: X\n---\n" + body,
            # The same text saved again under another name, its lines wrapped differently.
            "content/articles/2021/b.md": "---\ntitle: B\ndate: 2021-01-02\nsource: Y\ndraft: true\n---\n\n"
            + body.replace("on Monday", "on\nMonday"),
            "content/articles/2021/c.md": "---\ntitle: C\ndate: 2021-01-02\nsource: Y\n---\nAnother text.\n",
            "content/articles/2021/d.md": "---\ntitle: D\ndate: 2021-01-03\nsource: Z\n---\nAnother text.\n",
        }
    )
    code, lines = check(root)
    assert code == 0
    assert lines == [
        "content/articles/2021/a.md:6: warning: the same text as content/articles/2021/b.md: "
        "delete the copy you do not mean to keep",
        "content/articles/2021/b.md:8: warning: the same text as content/articles/2021/a.md: "
        "delete the copy you do not mean to keep",
    ]


def test_file_stem_slug_collision(make_project: ProjectFactory) -> None:
    root = make_project({"content/articles/2020/talks.md": BASE_TALKS})
    code, lines = check(root)
    assert code == 1
    assert [line.split(":")[0] for line in lines] == [
        "content/articles/2020/talks.md",
        "content/articles/2021/talks.md",
    ]


BASE_TALKS = article("title: Older talks\ndate: 2020-03-22\nsource: CGTN")


def test_symlink_leaving_project_is_refused(make_project: ProjectFactory, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(article("title: S\ndate: 2021-01-01\nsource: X"))
    root = make_project()
    os.symlink(outside, root / "content/articles/2021/leak.md")
    code, lines = check(root)
    assert code == 1
    assert lines == [
        f"content/articles/2021/leak.md:1: error: symlink points outside the project "
        f"(to {outside.resolve()}); refusing to read it"
    ]


def test_symlinked_folder_leaving_project_is_refused(make_project: ProjectFactory, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    root = make_project()
    os.symlink(tmp_path / "elsewhere", root / "content/articles/more")
    code, lines = check(root)
    assert code == 1
    assert lines[0].startswith("content/articles/more:1: error: symlink points outside the project")


@pytest.mark.parametrize("folder", ["content/articles", "content/topics", "content"])
def test_a_symlinked_content_folder_must_resolve_inside_the_project(
    make_project: ProjectFactory, tmp_path: Path, folder: str
) -> None:
    root = make_project()
    outside = tmp_path / "outside"
    shutil.move(root / folder, outside)  # the folder's files now live outside, behind a symlink
    os.symlink(outside, root / folder)
    for command in ("check", "build"):
        result = run(command, "--project", root)
        assert result.exit_code == 1, result.output
        shown = (result.stdout if command == "check" else result.stderr).splitlines()
        assert f"{folder}/articles:1: error: symlink points outside the project (to {outside.resolve()}/articles); " \
            "refusing to read it" in shown if folder == "content" else \
            f"{folder}:1: error: symlink points outside the project (to {outside.resolve()}); refusing to read it" \
            in shown, shown
    assert not (root / "site").exists()


def test_a_symlinked_folder_inside_the_project_is_read(make_project: ProjectFactory) -> None:
    root = make_project()
    shutil.move(root / "content/articles", root / "kept-articles")
    os.symlink(root / "kept-articles", root / "content/articles")
    code, lines = check(root)
    assert (code, lines) == (0, [])


@pytest.mark.parametrize("where", ["content/articles/2021/loop", "content/articles/loop.md", "content/articles"])
def test_a_symlink_loop_under_content_is_one_line(make_project: ProjectFactory, where: str) -> None:
    root = make_project()
    if where == "content/articles":
        shutil.rmtree(root / where)
    os.symlink(root / f"{where}-2", root / where)
    os.symlink(root / where, root / f"{where}-2")
    for command in ("check", "build"):
        result = run(command, "--project", root)
        assert result.exit_code == 1, result.output
        shown = (result.stdout if command == "check" else result.stderr).splitlines()
        assert f"{where}:1: error: symlink loop: it leads back to itself; remove it or point it at a file" \
            in shown, shown
        assert "Traceback" not in result.output


@pytest.mark.parametrize("link", ["templates/brief.md.jinja", "templates"])
def test_a_template_linked_outside_the_project_is_never_published(
    make_project: ProjectFactory, tmp_path: Path, link: str
) -> None:
    # A template prints its text into the pages: one linked to a file outside would publish it.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "brief.md.jinja").write_text("PRIVATE KEY 1234\n")
    root = make_project()
    if link == "templates":
        os.symlink(outside, root / "templates")
    else:
        (root / "templates").mkdir()
        os.symlink(outside / "brief.md.jinja", root / link)
    target = outside if link == "templates" else outside / "brief.md.jinja"
    for command in ("check", "build"):
        result = run(command, "--project", root)
        assert result.exit_code == 1, result.output
        shown = (result.stdout if command == "check" else result.stderr).splitlines()
        assert f"{link}:1: error: symlink points outside the project (to {target.resolve()}); " \
            "refusing to read it" in shown, shown
    assert not (root / "site").exists()
    # The renderer itself never reads it: the built-in template of that name stands in.
    source = environment(root).loader.get_source(environment(root), "brief.md.jinja")[0]  # type: ignore[union-attr]
    assert "PRIVATE KEY" not in source and "{%" in source


def test_a_template_linked_inside_the_project_is_used(make_project: ProjectFactory) -> None:
    root = make_project()
    (root / "mine").mkdir()
    (root / "mine" / "article.md.jinja").write_text("# {{ article.title }} (our own)\n")
    (root / "templates").mkdir()
    os.symlink(root / "mine" / "article.md.jinja", root / "templates" / "article.md.jinja")
    result = run("build", "--markdown-only", "--project", root)
    assert result.exit_code == 0, result.output
    assert any("(our own)" in page.read_text() for page in (root / "build/docs/articles").rglob("*.md"))


def test_symlink_inside_project_is_read(make_project: ProjectFactory) -> None:
    root = make_project({"content/topics/burma.md": None})
    os.symlink(root / "content/topics/myanmar.md", root / "content/topics/burma.md")
    code, lines = check(root)
    assert lines == [
        "content/topics/burma.md:3: warning: alias 'burma' is also an alias of myanmar; "
        "a mention counts for both",
        "content/topics/burma.md:3: warning: alias 'myanmar' is also an alias of myanmar; "
        "a mention counts for both",
        "content/topics/myanmar.md:3: warning: alias 'burma' is also an alias of burma; "
        "a mention counts for both",
        "content/topics/myanmar.md:3: warning: alias 'myanmar' is also an alias of burma; "
        "a mention counts for both",
    ]
    assert code == 0


@pytest.mark.parametrize("name", ["Afghanistan.md", "north korea.md", "a_b.md"])
def test_topic_file_name_must_be_an_id(make_project: ProjectFactory, name: str) -> None:
    root = make_project({f"content/topics/{name}": "---\ntitle: X\n---\n"})
    code, lines = check(root)
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(
        f"content/topics/{name}:1: error: file name '{name}' is not a valid "
        "topic id: ids use lower-case letters, digits and single hyphens; rename it to"
    )


def test_actor_kind_is_checked(make_project: ProjectFactory) -> None:
    root = make_project({"content/actors/china.md": "---\nname: China\nkind: country\n---\n"})
    code, lines = check(root)
    assert code == 1
    assert lines == [
        "content/actors/china.md:3: error: 'kind': expected one of 'state', "
        "'organisation', 'person' or 'group', found the text 'country'"
    ]


def test_related_topic_must_exist(make_project: ProjectFactory) -> None:
    root = make_project({"content/topics/myanmar.md": "---\ntitle: Myanmar\nrelated: [afghanstan]\n---\n"})
    code, lines = check(root)
    assert code == 1
    assert lines == [
        "content/topics/myanmar.md:3: error: unknown topic 'afghanstan' in 'related'. "
        "Did you mean 'afghanistan'?"
    ]


def test_config_problems(make_project: ProjectFactory) -> None:
    root = make_project(
        {"site_config.yml": "site_name: X\nrouting:\n  auto: maybe\n  atuo: true\nsite_ulr: x\n"}
    )
    code, lines = check(root)
    assert code == 1
    assert lines == [
        "site_config.yml:3: error: 'routing.auto': expected true or false, found the text 'maybe'",
        "site_config.yml:4: warning: unknown key 'routing.atuo'; it is ignored. Did you mean 'auto'?",
        "site_config.yml:5: warning: unknown key 'site_ulr'; it is ignored. Did you mean 'site_url'?",
    ]


def test_missing_config_is_an_error(make_project: ProjectFactory) -> None:
    root = make_project({"site_config.yml": None})
    code, lines = check(root)
    assert code == 1
    assert lines[0].startswith("site_config.yml:1: error: no site_config.yml in the project folder")


def test_every_problem_in_one_run(make_project: ProjectFactory) -> None:
    root = make_project(
        {
            "content/articles/a.md": "",
            "content/articles/b.md": article("title: B\ndate: 2021-13-01\nsource: X"),
            "content/articles/c.md": b"\xff\xfe\x00",
        }
    )
    code, lines = check(root)
    assert code == 1
    assert [line.split(":")[0] for line in lines] == [
        "content/articles/a.md",
        "content/articles/b.md",
        "content/articles/c.md",
    ]


def test_strict_fails_on_warnings(make_project: ProjectFactory) -> None:
    root = make_project({ARTICLE: article("title: T\ndate: 2021-03-22\nsource: X\ntopcis: []")})
    assert check(root)[0] == 0
    result = run("check", "--project", root, "--strict")
    assert result.exit_code == 1
    assert "failing because of warnings (--strict)" in result.stderr


def test_json_format(make_project: ProjectFactory) -> None:
    root = make_project({ARTICLE: article("title: T\ndate: 2021-02-30\nsource: X\ntopcis: []")})
    result = run("check", "--project", root, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": ARTICLE,
            "line": 3,
            "severity": "error",
            "code": "invalid-value",
            "message": "'date': '2021-02-30' is not a real calendar date (February 2021 has 28 days)",
        },
        {
            "path": ARTICLE,
            "line": 5,
            "severity": "warning",
            "code": "unknown-key",
            "message": "unknown key 'topcis'; it is ignored. Did you mean 'topics'?",
        },
    ]


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = run("check", "--project", tmp_path / "missing")
    assert result.exit_code == 2
    result = run("check", "--format", "xml")
    assert result.exit_code == 2


YAML_SLIPS = [
    ('title: "Iran talks\ndate: 2021-03-22\nsource: "X"',
     "2: error: the double quote that opens this value is never closed: end the value with \" on this line "
     '(a " inside it is written \\")'),
    ("title: 'Iran talks\ndate: 2021-03-22\nsource: X",
     "2: error: the single quote that opens this value is never closed: end the value with ' on this line "
     "(a ' inside it is written '')"),
    ("title: Iran: what next\ndate: 2021-03-22\nsource: X",
     "2: error: a value that contains ': ' must be quoted: title: \"Iran: what next\""),
    ('date: 2021-03-22\nsource: X\ntitle: Iran: "maximum pressure" ends',
     "4: error: a value that contains ': ' must be quoted: title: 'Iran: \"maximum pressure\" ends'"),
    ("title: T\ndate: 2021-03-22\nsource: X\ntopics:\n\t- afghanistan",
     "6: error: this line is indented with a tab; YAML allows only spaces for indentation: "
     "replace the tab with spaces"),
    ("title: T\ndate: 2021-03-22\ntopics:\n  - afghanistan\n  myanmar\nsource: X",
     "6: error: this line is among the items of a list but has no dash: write it as '  - myanmar'"),
    ("title: T\ndate: 2021-03-22\nsource: X\n  slug: t",
     "5: error: this key is indented under a key that already has a value: indent it like the keys above it"),
]


@pytest.mark.parametrize(("front", "expected"), YAML_SLIPS)
def test_yaml_slips_are_reported_where_they_start_with_what_to_write(
    make_project: ProjectFactory, front: str, expected: str
) -> None:
    root = make_project({ARTICLE: article(front)})
    assert check(root) == (1, [f"{ARTICLE}:{expected}"])


def test_a_missing_closing_line_is_reported_after_the_last_key(make_project: ProjectFactory) -> None:
    # The body's own rule (---) closes the front matter too early: the prose is read as YAML.
    body = "The talks opened on Monday, officials said.\n\n---\n\nMore text.\n"
    root = make_project({ARTICLE: "---\ntitle: T\ndate: 2021-03-22\nsource: X\n\n" + body})
    assert check(root) == (1, [
        f"{ARTICLE}:6: error: this line is not 'key: value': if the front matter ends above it, the "
        "closing line of three dashes (---) is missing; add it before this line"])
    # With no later rule, the file never closes it: the message names the last key's line.
    root = make_project({ARTICLE: "---\ntitle: T\ndate: 2021-03-22\nsource: X\n\nThe talks opened.\n"})
    assert check(root) == (1, [
        f"{ARTICLE}:4: error: front matter opened on line 1 is never closed: add a line of three dashes "
        "(---) after line 4, its last key"])


def test_site_config_yaml_slips_are_explained_too(make_project: ProjectFactory) -> None:
    root = make_project({"site_config.yml": "site_name: Desk: Asia\nsite_url: https://example.org/\n"})
    assert check(root) == (1, [
        "site_config.yml:1: error: a value that contains ': ' must be quoted: site_name: \"Desk: Asia\""])


def test_drafts_are_validated(make_project: ProjectFactory) -> None:
    root = make_project({ARTICLE: article("title: T\ndate: 2021-02-30\nsource: X\ndraft: true")})
    assert check(root)[0] == 1


def test_reserved_and_overlong_ids(make_project: ProjectFactory) -> None:
    long_name = "a" * 101
    root = make_project({
        "content/actors/index.md": "---\nname: Index\n---\n",
        f"content/topics/{long_name}.md": "---\ntitle: Long\n---\n",
        ARTICLE: article("title: T\ndate: 2021-03-22\nsource: X\nslug: " + "b" * 101),
    })
    code, lines = check(root)
    assert code == 1
    assert lines == [
        "content/actors/index.md:1: error: 'index' cannot be an actor id: the actors' index page uses that name",
        "content/articles/2021/talks.md:5: error: 'slug': is 101 characters long; the limit is 100",
        f"content/topics/{long_name}.md:1: error: '{'a' * 40}…' is longer than 100 characters, the limit for an id: shorten the file name",
    ]


def test_deeply_nested_lists_are_refused_with_the_limit(make_project: ProjectFactory) -> None:
    body = "Intro.\n\n" + "".join("  " * i + "- level\n" for i in range(1000))
    root = make_project({ARTICLE: article("title: T\ndate: 2021-03-22\nsource: X", body)})
    code, lines = check(root)
    assert code == 1
    assert lines == [f"{ARTICLE}:8: error: passage 2 nests lists or blockquotes more than 8 levels deep "
                     "(the limit): flatten it"]


def test_placeholder_source_is_an_error_once_published(make_project: ProjectFactory) -> None:
    draft = article("title: T\ndate: 2021-03-22\nsource: TODO\ndraft: true")
    assert check(make_project({ARTICLE: draft})) == (0, [
        f"{ARTICLE}:4: warning: 'source' is still the placeholder 'TODO': name the publisher before publishing"])
    published = article("title: T\ndate: 2021-03-22\nsource: TODO")
    root = make_project({ARTICLE: published})
    expected = (f"{ARTICLE}:4: error: 'source' is the placeholder 'TODO' in a published article: "
                "name the publisher, or mark the article 'draft: true' until you can")
    assert check(root) == (1, [expected])
    # The build refuses it too, so "TODO" never reaches a brief.
    result = run("build", "--markdown-only", "--project", root)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert not (root / "build/docs/articles/2021/talks.md").exists()
    lower = article("title: T\ndate: 2021-03-22\nsource: tbd")
    assert check(make_project({ARTICLE: lower}))[0] == 1


def test_relative_links_are_resolved_against_the_original_or_dropped(make_project: ProjectFactory) -> None:
    body = "See [more](/world/more.html) and [top](#top).\n"
    with_url = article("title: T\ndate: 2021-03-22\nsource: X\nurl: https://news.example/world/story.html", body)
    root = make_project({ARTICLE: with_url})
    assert check(root) == (0, [
        f"{ARTICLE}:7: warning: passage 1 has a relative link '#top', which only worked on the original page; "
        "resolved it against the article's url",
        f"{ARTICLE}:7: warning: passage 1 has a relative link '/world/more.html', which only worked on the "
        "original page; resolved it against the article's url",
    ])
    assert run("build", "--markdown-only", "--project", root).exit_code == 0
    page = (root / "build/docs/articles/2021/talks.md").read_text()
    assert "[more](https://news.example/world/more.html)" in page
    assert "[top](https://news.example/world/story.html#top)" in page
    root = make_project({ARTICLE: article("title: T\ndate: 2021-03-22\nsource: X", body)})
    assert check(root)[1][0].endswith("dropped it: the article has no url")


def test_unsafe_html_is_removed_with_a_warning(make_project: ProjectFactory) -> None:
    body = "On Afghanistan <img src=x onerror=alert(1)> and [x](javascript:alert(1)).\n"
    root = make_project({ARTICLE: article("title: T\ndate: 2021-03-22\nsource: X", body)})
    assert check(root) == (0, [f"{ARTICLE}:6: warning: removed onerror attribute, javascript: link from passage 1"])
    assert check(root, "--strict")[0] == 1


def test_retired_brief_setting_says_what_replaced_it(make_project: ProjectFactory) -> None:
    root = make_project({"site_config.yml": "site_name: D\nbriefs:\n  max_positions: 5\n  positions_per_actor: 2\n"})
    result = run("check", "--project", root, "--format", "json")
    assert result.exit_code == 0, result.output
    (problem,) = json.loads(result.stdout)
    assert (problem["path"], problem["line"], problem["code"]) == ("site_config.yml", 4, "retired-key")
    assert "'briefs.max_positions'" in problem["message"] and "ignored" in problem["message"]


REGISTRY = "site_name: Test desk\nsources:\n  Xinhua: {kind: state media, country: China}\n  Reuters: {kind: wire}\n"


def test_sources_used_but_not_described_are_listed_once_the_registry_exists(make_project: ProjectFactory) -> None:
    other = article("title: More\ndate: 2021-03-23\nsource: CGTN")
    third = article("title: Again\ndate: 2021-03-24\nsource: CGTN")
    typo = article("title: Wire\ndate: 2021-03-25\nsource: Reuter")
    files = {
        "content/articles/2021/more.md": other,
        "content/articles/2021/again.md": third,
        "content/articles/2021/wire.md": typo,
    }
    # No registry: nothing to say.
    assert check(make_project(files)) == (0, [])
    root = make_project({"site_config.yml": REGISTRY, **files})
    assert check(root) == (0, [
        "content/articles/2021/again.md:4: warning: source 'CGTN' (and 2 more articles) is not described "
        "under 'sources' in site_config.yml. Add 'CGTN: {kind: …}' there, with a kind from: wire, newspaper, "
        "broadcaster, public broadcaster, state media, government, international organisation, think tank, NGO.",
        "content/articles/2021/wire.md:4: warning: source 'Reuter' is not described under 'sources' in "
        "site_config.yml. Did you mean 'Reuters'?",
    ])


def test_a_source_kind_outside_the_list_is_an_error_on_its_line(make_project: ProjectFactory) -> None:
    config = "site_name: Test desk\nsources:\n  CGTN:\n    kind: state-run\n"
    assert check(make_project({"site_config.yml": config})) == (1, [
        "site_config.yml:4: error: 'sources.CGTN.kind': expected one of 'wire', 'newspaper', 'broadcaster', "
        "'public broadcaster', 'state media', 'government', 'international organisation', 'think tank', 'NGO', "
        "found 'state-run'"
    ])


def test_briefs_and_article_pages_show_the_kind_beside_the_source(make_project: ProjectFactory) -> None:
    config = "site_name: Test desk\nsources:\n  CGTN: {kind: state media, country: China}\n"
    root = make_project({"site_config.yml": config})
    result = run("build", "--markdown-only", "--project", root)
    assert result.exit_code == 0, result.output
    page = (root / "build/docs/articles/2021/talks.md").read_text()
    assert "**22 March 2021** · CGTN (state media, China) · [Original report at CGTN]" in page
    brief = (root / "build/docs/topics/afghanistan.md").read_text()
    assert "**22 March 2021** · CGTN (state media, China) · [Talks in Guilin]" in brief
    assert "[Talks in Guilin](../articles/2021/talks.md), CGTN (state media, China), 22 March 2021" in brief
    # Without a registry the source stands alone.
    plain = make_project()
    assert run("build", "--markdown-only", "--project", plain).exit_code == 0
    assert "· CGTN · [Original report at CGTN]" in (plain / "build/docs/articles/2021/talks.md").read_text()


def test_desk_summaries_are_shown_as_the_desks_words(make_project: ProjectFactory) -> None:
    note = "*Summary written by the desk of a report by CGTN: the words are the desk's, not the publisher's.*"
    lead = "*In the desk's words, summarising a report by CGTN:*"
    # A week after the talks, so that it is a development of its own, not another report of them.
    root = make_project({ARTICLE.replace("talks", "more"): article(
        "title: More\ndate: 2021-03-29\nsource: CGTN\nextra: {desk_summary: true}", "On Afghanistan, more.\n")})
    assert run("build", "--markdown-only", "--project", root).exit_code == 0
    docs = root / "build/docs"
    assert note in (docs / "articles/2021/more.md").read_text()
    assert note not in (docs / "articles/2021/talks.md").read_text()  # the publisher's own text
    brief = (docs / "topics/afghanistan.md").read_text()
    assert brief.count(lead) == 1
    assert "[More](../articles/2021/more.md), CGTN, 29 March 2021, summarised by the desk" in brief
    assert ("*An article marked as the desk's summary here is the desk's own summary of the report it "
            "cites") in (docs / "index.md").read_text()
    # Site-wide, with one article opting out; a site_author names the desk.
    config = "site_name: Test desk\nsite_author: The Example desk\ndesk_summaries: true\n"
    own = article("title: Own\ndate: 2021-03-24\nsource: CGTN\nextra:\n  desk_summary: false")
    root = make_project({"site_config.yml": config, "content/articles/2021/own.md": own})
    assert run("build", "--markdown-only", "--project", root).exit_code == 0
    docs = root / "build/docs"
    assert "*Summary written by The Example desk of a report by CGTN: the words" in (
        docs / "articles/2021/talks.md").read_text()
    assert "Summary written by" not in (docs / "articles/2021/own.md").read_text()
    assert "*Every article here is the desk's own summary" in (docs / "index.md").read_text()


def test_a_desk_summary_flag_that_is_not_a_boolean_is_a_warning(make_project: ProjectFactory) -> None:
    root = make_project({ARTICLE: article("title: T\ndate: 2021-03-22\nsource: X\nextra:\n  desk_summary: yes")})
    assert check(root) == (0, [
        f"{ARTICLE}:6: warning: 'extra.desk_summary': expected true or false, found the text 'yes'; it is ignored"])


def test_names_windows_reserves_are_a_warning(make_project: ProjectFactory) -> None:
    root = make_project({
        "content/topics/con.md": "---\ntitle: Con\n---\n",
        "content/actors/com1.md": "---\nname: Com\n---\n",
        "content/articles/2021/aux.md": article("title: A\ndate: 2021-03-22\nsource: X"),
        "content/articles/2021/b.md": article("title: B\ndate: 2021-03-22\nsource: X\nslug: nul"),
    })
    code, lines = check(root)
    why = "a name Windows reserves (CON, PRN, AUX, NUL, COM0-9, LPT0-9): the project and its site cannot be " \
        "checked out on Windows"
    assert (code, lines) == (0, [
        f"content/actors/com1.md:1: warning: actor id 'com1' is {why}; rename the file",
        f"content/articles/2021/aux.md:1: warning: slug 'aux' is {why}; give the article another 'slug:'",
        f"content/articles/2021/b.md:5: warning: slug 'nul' is {why}; give the article another 'slug:'",
        f"content/topics/con.md:1: warning: topic id 'con' is {why}; rename the file",
    ])
    assert check(root, "--strict")[0] == 1


def test_a_date_far_outside_the_archive_is_a_warning_and_the_home_page_stays_small(
    make_project: ProjectFactory,
) -> None:
    root = make_project()
    assert run("build", "--project", root).exit_code == 0
    home_before = (root / "site/index.html").stat().st_size
    brief_before = (root / "build/docs/topics/afghanistan.md").stat().st_size
    write_files(root, {"content/articles/2021/far.md": article(
        "title: Far\ndate: 9999-12-31\nsource: X\ntopics: [afghanistan]", "Afghanistan, much later.\n")})
    code, lines = check(root)
    assert (code, lines) == (0, [
        "content/articles/2021/far.md:3: warning: date 9999-12-31 is 7,978 years after the rest of the archive "
        "(2021-03-22 to 2021-03-22): check it (the charts stay bounded, but span those years)"
    ])
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    assert (root / "site/index.html").stat().st_size < 2 * home_before
    assert (root / "build/docs/topics/afghanistan.md").stat().st_size < brief_before + 10_000  # 32 bars, not 7,979
