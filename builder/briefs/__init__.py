"""Assemble and render: the project and its routes in, every page's Markdown out.

assembly (pure: the data of each brief, article, actor page, home) -> rendering (Jinja2 over the
project's templates or the built-in ones; markup escapes every printed value).
"""
