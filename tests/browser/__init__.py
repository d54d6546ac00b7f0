"""Tests that drive Debian's chromium through playwright (run alone: make test-browser)."""
