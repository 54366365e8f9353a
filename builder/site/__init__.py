"""TODO site"""
