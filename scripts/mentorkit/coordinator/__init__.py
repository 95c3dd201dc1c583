"""Coordinator tools: everything that touches private data (form exports, the key, the roster, e-mails)."""
