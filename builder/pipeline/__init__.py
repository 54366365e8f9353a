"""The build: options in, the site out, atomically; the recipe that calls every stage in order.

pipeline (the recipe), options and report (what is asked, what was done), keys (what each page
and the build depend on, in one place), cache (build/.cache/, plain data read by plaindata),
output (atomic writes and swaps).
"""
