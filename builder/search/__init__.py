"""Search: the assembled site in, the Pagefind index out (the only code that knows Pagefind).

records (one record per page, passages as sub-results) -> index (drives Pagefind beside MkDocs,
stoppable) over service (Pagefind's Python API) -> bundle (the files written into the site).
"""
