"""Rebuild the defensible tests of each claim and decide its verdict."""
