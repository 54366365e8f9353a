"""Editor commands: `briefdesk import` and `briefdesk new article|topic|actor`.

Thin click wrappers, registered on the main group by `builder.cli`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.cli.common import project_option, reporting_errors

if TYPE_CHECKING:
    from builder.authoring.scaffolding import Scaffold
    from builder.authoring.suggest import Suggestion


def _shown(project: Path, relative: str) -> str:
    """Show a written file's path as the editor can open it from where they ran the command."""
    return (project / relative).as_posix()


def _counts(items: tuple[Suggestion, ...]) -> str:
    """List suggestions as `iran-nuclear (3 mentions), afghanistan (2), ...`: the unit once."""
    parts = []
    for index, item in enumerate(items):
        unit = (" mention" if item.mentions == 1 else " mentions") if index == 0 else ""
        parts.append(f"{item.id} ({item.mentions}{unit})")
    return ", ".join(parts) if parts else "none"


def _actor_counts(items: tuple[Suggestion, ...]) -> str:
    """List actor suggestions as `china (3 statements), wang-yi (1), russia (named 2 times)`."""
    parts = []
    for index, item in enumerate(items):
        if item.statements:
            unit = (" statement" if item.statements == 1 else " statements") if index == 0 else ""
            parts.append(f"{item.id} ({item.statements}{unit})")
        else:
            parts.append(f"{item.id} (named {item.mentions} time{'' if item.mentions == 1 else 's'})")
    return ", ".join(parts) if parts else "none"


def _new_actor_command(name: str, project: Path) -> str:
    """The `briefdesk new actor` line that adds a quoted person as an actor."""
    import shlex

    from builder.content.schema import slugify

    words = name.split()
    aliases = f" --alias {shlex.quote(words[-1])}" if len(words) > 1 else ""
    where = "" if project == Path(".") else f" --project {shlex.quote(project.as_posix())}"
    return f"briefdesk new actor {slugify(name)} --name {shlex.quote(name)}{aliases} --kind person{where}"


@click.command("import")
@click.argument("file", metavar="FILE")
@click.option("--url", default=None, help="The page's address (default: the page's canonical link).")
@click.option("--source", default=None, help="The publisher (default: the page's site name).")
@click.option(
    "--date", default=None, metavar="YYYY-MM-DD", help="Publication date (default: found in the page)."
)
@click.option("--title", default=None, help="Headline (default: found in the page).")
@click.option(
    "--force",
    is_flag=True,
    help="Replace the draft the last import wrote there, if it is still a draft and unchanged since.",
)
@project_option
@reporting_errors
def import_command(
    file: str,
    url: str | None,
    source: str | None,
    date: str | None,
    title: str | None,
    force: bool,
    project: Path,
) -> None:
    """Turn a saved web page (HTML) or a clipped text into a draft article; FILE - reads standard input."""
    from builder.authoring.importer import PLACEHOLDER_SOURCE, ImportOptions, import_file
    from builder.briefs.rendering import long_date

    options = ImportOptions(
        file=file, root=project, url=url, source=source, date=date, title=title, force=force
    )
    report = import_file(options, today=dt.date.today())
    verb = "replaced" if report.replaced else "wrote"
    click.echo(f"{verb} {_shown(project, report.path)} (a draft, from a {report.kind})")
    click.echo(f"  title    {report.title.value}  [{report.title.where}]")
    click.echo(f"  date     {report.date.value.isoformat()}  [{report.date.where}]")
    click.echo(f"  source   {report.source.value}  [{report.source.where}]")
    if report.url is not None:
        click.echo(f"  url      {report.url.value}  [{report.url.where}]")
    if report.removed:
        click.echo(f"  dropped  {', '.join(report.removed)}")
    suggestions = report.suggestions
    click.echo(f"  topics   {_counts(suggestions.topics)}")
    if suggestions.listed:
        click.echo(f"           named in passing or in a list, not added: {_counts(suggestions.listed)}")
    click.echo(f"  actors   {_actor_counts(suggestions.actors)}")
    if suggestions.named:
        click.echo(f"           named in passing, not added: {_counts(suggestions.named)}")
    if suggestions.speakers:
        quoted = ", ".join(
            f"{s.name} ({s.statements} statement{'' if s.statements == 1 else 's'})"
            for s in suggestions.speakers
        )
        click.echo(f"  speakers not yet actors: {quoted}")
        for speaker in suggestions.speakers:
            click.echo(f"    {_new_actor_command(speaker.name, project)}")
    click.echo("next: check the text, keep the topics and actors it is about, then delete 'draft: true'")
    if report.source.value == PLACEHOLDER_SOURCE and source is None:
        click.echo(
            f"warning: no source found; the draft says 'source: {PLACEHOLDER_SOURCE}': "
            "name the publisher before publishing (or pass --source NAME)",
            err=True,
        )
    for other in report.same_event:
        click.echo(
            f"warning: this looks like {other.path} ({other.source}, {long_date(other.date)}): "
            "the same event; it will be grouped with it",
            err=True,
        )


@click.group("new")
def new() -> None:
    """Scaffold a valid article, topic or actor file (an existing file is never replaced)."""


@new.command("article")
@click.argument("title")
@click.option("--source", default=None, help="The publisher, e.g. Reuters (required).")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="Publication date (default: today).")
@click.option("--url", default=None, help="The original's address.")
@click.option("--draft", "draft_flag", is_flag=True, help="Mark it a draft: checked, never published.")
@project_option
@reporting_errors
def new_article(
    title: str, source: str | None, date: str | None, url: str | None, draft_flag: bool, project: Path
) -> None:
    """Write content/articles/<yyyy>/<date>-<slug>.md for TITLE."""
    from builder.authoring import scaffolding

    scaffold = scaffolding.new_article(
        project, title, source=source, date=date, url=url, draft_flag=draft_flag, today=dt.date.today()
    )
    _report(project, scaffold)


@new.command("topic")
@click.argument("topic_id", metavar="ID")
@click.option("--title", required=True, help='The brief\'s title, e.g. "Iran nuclear issue".')
@click.option(
    "--alias", "aliases", multiple=True, help="Another phrase that counts as a mention (repeatable)."
)
@click.option("--region", default=None, help="Groups the topic on the home page.")
@click.option("--summary", default=None, help="One line for cards and feeds.")
@project_option
@reporting_errors
def new_topic(
    topic_id: str,
    title: str,
    aliases: tuple[str, ...],
    region: str | None,
    summary: str | None,
    project: Path,
) -> None:
    """Write content/topics/ID.md."""
    from builder.authoring import scaffolding

    _report(
        project,
        scaffolding.new_topic(
            project, topic_id, title=title, aliases=aliases, region=region, summary=summary
        ),
    )


@new.command("actor")
@click.argument("actor_id", metavar="ID")
@click.option("--name", required=True, help='How the actor is named, e.g. "Wang Yi".')
@click.option("--alias", "aliases", multiple=True, help="Another name that counts as a mention (repeatable).")
@click.option("--kind", type=click.Choice(["state", "organisation", "person", "group"]), default=None)
@project_option
@reporting_errors
def new_actor(actor_id: str, name: str, aliases: tuple[str, ...], kind: str | None, project: Path) -> None:
    """Write content/actors/ID.md."""
    from builder.authoring import scaffolding

    _report(project, scaffolding.new_actor(project, actor_id, name=name, aliases=aliases, kind=kind))


def _report(project: Path, scaffold: Scaffold) -> None:
    click.echo(f"wrote {_shown(project, scaffold.path)}")
    for note in scaffold.notes:
        click.echo(note, err=note.startswith("warning:"))
