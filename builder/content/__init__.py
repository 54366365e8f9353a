"""TODO content"""
