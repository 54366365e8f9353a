"""TODO briefs"""
