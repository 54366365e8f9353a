"""TODO routing"""
