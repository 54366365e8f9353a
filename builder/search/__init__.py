"""Search: the assembled site in, the Pagefind index out (the only code that knows Pagefind).

records (one record per page, passages as sub-results) -> index (drives Pagefind beside MkDocs,
one process per shard of records, stoppable) over service (Pagefind's Python API) -> shards (the
shards' bundles merged into one) -> bundle (stable bytes, the files written into the site).
"""
