"""Scoring against the public acceptance set (../shared/acceptance) and the project's own sets.

Used for measuring and reporting only; nothing here feeds training.
"""
