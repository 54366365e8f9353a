"""TODO feeds"""
