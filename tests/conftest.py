"""Shared by every test folder: ``tests/`` is on sys.path, so ``import provenance`` works."""
