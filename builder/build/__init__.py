"""TODO build"""
