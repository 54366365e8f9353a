"""Editions: what changed per week or month, and the desk's judgement on the brief.

Takes the briefs and the site's as-of date; gives each brief's news (trend, what is new, what is
coming) and each edition's data, and renders an edition's feed and e-mail body.
"""
