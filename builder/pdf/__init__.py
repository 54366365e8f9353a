"""The PDF stage (`briefdesk build --pdf`): each brief as a printable document.

Takes the staged HTML site MkDocs wrote (each brief's own page, with its print stylesheet) and the
assembled briefs (which topics, and the date each brief was last updated); gives
`pdf/<topic-id>.pdf` in that same staged folder, so the PDFs are swapped in with the rest of the
site or not at all. Needs WeasyPrint, the optional `pdf` extra: `require()` says in one line when
it is missing, before any work is done. Fonts and stylesheets come from the machine and the staged
folder only: no network request is made.
"""
