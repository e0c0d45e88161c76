"""Judging beads: flags with reasons, scores against a gold alignment, and the HTML report a
reviewer reads."""
