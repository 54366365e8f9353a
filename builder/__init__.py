"""Briefdesk: curated articles in, one issue brief per topic and a searchable static site out."""

__version__ = "0.1.0"
