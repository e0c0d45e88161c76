"""The bilingual resources the later stages consult: CC-CEDICT, the curated CD glossary, names
and stems, and jieba tokenizers that know the glossary's terms."""
