"""The only code that knows MkDocs: build/docs in, the HTML site out.

mkdocs (writes build/mkdocs.yml, runs MkDocs, reads its warnings), warmdocs (a MkDocs kept loaded
for serve), slugs (heading ids), theme/ (Material overrides and our assets).
"""
