"""Terminology from aligned pairs: candidate term extraction, and the glossary exported as TBX,
CSV, TSV or OmegaT's glossary format."""
