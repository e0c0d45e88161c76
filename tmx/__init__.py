"""TMX 1.4b reading, writing, validation and fuzzy lookup."""
