"""Test sentences per language for tests/bot/test_lexicons.py."""
