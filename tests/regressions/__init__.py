"""Regression tests, one file per theme, each test named after what broke."""
