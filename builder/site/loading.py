"""MkDocs' site loaded as `mkdocs build` loads it, before it renders a page.

`builder.site.warmdocs` (serve's loaded renderer) and `builder.site.splitbuild` (the whole build,
its pages rendered by forked workers) both start from this: the settings, the files, the
navigation and a Page object for every page, made by the same steps, in the same order, as
MkDocs 1.6's `mkdocs/commands/build.py::build` makes them (pyproject pins MkDocs to 1.6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation


@dataclass(frozen=True, slots=True)
class LoadedSite:
    """What `mkdocs build` has gathered when it starts writing the site."""

    config: MkDocsConfig
    """The validated settings, after the plugins' `on_config`."""
    files: Files
    """Every file of the docs and the theme, after `on_files` and the exclusions."""
    env: Any
    """The theme's Jinja2 environment (a `jinja2.Environment`), after `on_env`."""
    nav: Navigation
    """The navigation, after `on_nav`."""
    doc_files: Sequence[File]
    """The pages to build, in MkDocs' order (each with its unpopulated `page`)."""


def load_site(config_file: str, site_dir: str, *, strict: bool, clean: bool) -> LoadedSite:
    """Load the settings, files and navigation, and make every page's Page object, as `mkdocs build`
    does up to copying the static files; with `clean`, empty `site_dir` first as it does.

    MkDocs' warnings go to the `mkdocs` logger as they do in `mkdocs build`; errors in the
    settings raise `mkdocs.exceptions.Abort`.
    """
    from mkdocs import utils
    from mkdocs.config import load_config
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    config = load_config(config_file=config_file, site_dir=site_dir, strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    if clean:
        utils.clean_directory(config.site_dir)
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)  # again, for files the plugins added
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    inclusion = InclusionLevel.is_included
    for file in files.documentation_pages(inclusion=inclusion):
        if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
            Page(None, file, config)
        assert file.page is not None
    env = config.plugins.on_env(env, config=config, files=files)
    return LoadedSite(config, files, env, nav, files.documentation_pages(inclusion=inclusion))
