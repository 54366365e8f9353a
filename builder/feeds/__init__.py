"""For clients other than browsers: the assembled site in, Atom feeds and sitemap.xml out.

atom (one feed per topic and one for the site), sitemap, pagedates (the date each page shows).
"""
