"""Emitters: turn parsed configurations into text (JSON dumps, configs, scripts)."""
