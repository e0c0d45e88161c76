"""The English Snowball ("Porter2") stemmer, giving exactly the stems of NLTK's
``SnowballStemmer("english")``: ``stem``, compiled from ``_stem.pyx`` (the algorithm and how
it follows NLTK are described there).

Why our own: importing nltk (its ``__init__`` loads nearly all of it) took 0.3-0.45 s of a
1.3 s ``aligner align``; this is the whole of what the aligner used it for.
"""

from ._stem import _EXCEPTIONS, _STEP2, _STEP3, _STEP4, stem

__all__ = ["_EXCEPTIONS", "_STEP2", "_STEP3", "_STEP4", "stem"]
