"""TODO serve"""
