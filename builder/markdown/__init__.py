"""TODO markdown"""
