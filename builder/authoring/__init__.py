"""Authoring: what an editor asks for in, a new valid content file out (`import`, `new`).

scaffolding makes `new`'s files. `import` turns a saved web page or a clipped text into a draft
article; its stages, called in order by `importer.import_file`:

    reading   bytes from a file or standard input, refused when empty, binary or huge
    charset   bytes -> text, honouring a byte-order mark or the page's declared charset
    html      a web page -> headline, date, site name and Markdown body (trafilatura)
    clipping  a clipped text -> headline and body, without breadcrumbs, captions and widgets
    dates     the publication date from a dateline, a caption or the text under the headline
    suggest   topic and actor suggestions from the project's own routing
    draft     the front matter and body, written to content/articles/<yyyy>/<date>-<slug>.md
"""
