"""Sentences to beads: sentence features, the band, the dynamic-programming core, the two
passes and the calibrated confidence of each ``Bead``."""
