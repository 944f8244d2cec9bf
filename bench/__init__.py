"""Measurements of the bot under load (run the scripts directly; see bench/README.md)."""
