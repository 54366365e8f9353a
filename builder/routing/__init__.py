"""Route: articles and the topic and actor vocabulary in, each passage's topics and speakers out.

Pure: matching (one trie-shaped pattern over every alias), sentences, router.
"""
