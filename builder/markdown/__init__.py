"""Markdown as Briefdesk reads it: an article body cut into passages, raw HTML sanitised, and the
one list of Python-Markdown extensions the site, the feeds and the search index render with.
"""
