"""Helpers shared by the test folders (media factories, servers)."""
