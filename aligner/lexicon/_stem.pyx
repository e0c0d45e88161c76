# cython: wraparound=True, boundscheck=True
"""The English Snowball ("Porter2") stemmer, giving exactly the stems of NLTK's
``SnowballStemmer("english")``; compiled (a stem is looked for in every new word of a
document), and imported through ``stemmer``. Its strings are indexed from the end, hence
Python's indexing (the directives above) instead of the package's.

The algorithm is the one described at snowballstem.org (English stemmer as first published:
three R1 exceptions, none of the 2.x additions). R1 and R2 are kept as the number of letters
they hold at the end of the word, shortened or extended with it the way NLTK does; that differs
from the description's fixed region starts in how much of R2 survives a replaced suffix (the
cuts in _STEP2/_STEP3) and in two places marked "NLTK:" below. Stems are lexicon keys, so one
that differed from NLTK's would change the cached lexicon and the alignments;
tests/test_stemmer.py compares the two on CEDICT's glosses, the corpora and generated forms.
"""

import re

_VOWELS = frozenset("aeiouy")
_DOUBLES = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
_LI_ENDING = frozenset("cdeghkmnrt")

# Words the rules get wrong, looked up before anything else. The description checks its second
# list (inning ... succeed) after Step 1a; listing the inflected forms here has the same effect.
_EXCEPTIONS = {
    "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
    "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli",
    "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
    "cosmos": "cosmos", "bias": "bias", "andes": "andes",
}
for _base in ("inning", "outing", "canning", "herring", "earring"):
    _EXCEPTIONS[_base] = _EXCEPTIONS[_base + "s"] = _base
for _base in ("proceed", "exceed", "succeed"):
    for _end in ("", "s", "ed", "ing"):
        _EXCEPTIONS[_base + _end] = _base

# Step 2 and 3: suffix -> (letters removed from the end, letters added). How many letters are
# taken off decides what is left of R2 when R2 began inside the suffix (NLTK's accounting:
# "tional" loses two letters, "ization" is replaced whole).
_STEP2 = {
    "ization": (7, "ize"), "ational": (7, "ate"), "fulness": (4, ""), "ousness": (7, "ous"),
    "iveness": (7, "ive"), "tional": (2, ""), "biliti": (6, "ble"), "lessli": (2, ""),
    "entli": (2, ""), "ation": (5, "ate"), "alism": (5, "al"), "aliti": (5, "al"),
    "ousli": (5, "ous"), "iviti": (5, "ive"), "fulli": (2, ""), "enci": (1, "e"),
    "anci": (1, "e"), "abli": (1, "e"), "izer": (4, "ize"), "ator": (4, "ate"),
    "alli": (4, "al"), "bli": (3, "ble"), "ogi": (1, ""), "li": (2, ""),
}
# NLTK: when R2 began inside one of these suffixes, the final "e" of the replacement is in R2
_STEP2_E_IN_R2 = frozenset(("ational", "ation", "ator", "iveness", "iviti"))
_STEP3 = {
    "ational": (7, "ate"), "tional": (2, ""), "alize": (3, ""), "icate": (5, "ic"),
    "iciti": (5, "ic"), "ative": (5, ""), "ical": (4, "ic"), "ness": (4, ""), "ful": (3, ""),
}
_STEP4 = ("ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti",
          "ous", "ive", "ize", "ion", "al", "er", "ic")


_STEP1B = ("eedly", "ingly", "edly", "eed", "ing", "ed")


def _by_ending(suffixes) -> dict[str, tuple[str, ...]]:
    """The suffixes (at least two letters each) grouped by their last two letters, longest
    first: a word is compared only with the few that end as it does."""
    out: dict[str, list[str]] = {}
    for suffix in sorted(suffixes, key=len, reverse=True):
        out.setdefault(suffix[-2:], []).append(suffix)
    return {end: tuple(group) for end, group in out.items()}


_ENDS_1B, _ENDS_2, _ENDS_3, _ENDS_4 = map(_by_ending, (_STEP1B, _STEP2, _STEP3, _STEP4))


cdef object _longest_suffix(str word, dict ends):
    cdef str suffix
    for suffix in ends.get(word[-2:], ()):
        if word.endswith(suffix):
            return suffix
    return None


cdef str _mark_consonant_y(str word):
    """Initial y and y after a vowel are consonants: written Y, which is not in _VOWELS."""
    if "y" not in word:
        return word
    out = list(word)
    if out[0] == "y":
        out[0] = "Y"
    for i in range(1, len(out)):
        if out[i] == "y" and out[i - 1] in _VOWELS:
            out[i] = "Y"
    return "".join(out)


_VOWEL_CONSONANT = re.compile("[aeiouy][^aeiouy]")


cdef Py_ssize_t _after_vowel_consonant(str word, Py_ssize_t start):
    """Index just after the first non-vowel (at or after start + 1) that follows a vowel;
    len(word) if there is none."""
    m = _VOWEL_CONSONANT.search(word, start)
    return m.end() if m else len(word)


cdef bint _short_syllable_end(str word):
    """Whether word ends in vowel + non-vowel (not w, x, Y) preceded by a non-vowel."""
    return (len(word) >= 3 and word[-1] not in _VOWELS and word[-1] not in "wxY"
            and word[-2] in _VOWELS and word[-3] not in _VOWELS)


def stem(word: str) -> str:
    """The Snowball English stem of a word (lower-cased first), as NLTK computes it."""
    word = word.lower()
    if len(word) <= 2:
        return word
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    if not word.isascii():
        word = word.replace("\u2019", "'").replace("\u2018", "'").replace("\u201b", "'")
    if word.startswith("'"):
        word = word[1:]
    cdef str w = _mark_consonant_y(word)
    cdef Py_ssize_t p1, p2, r1, r2

    if w.startswith(("gener", "arsen")):
        p1 = 5
    elif w.startswith("commun"):
        p1 = 6
    else:
        p1 = _after_vowel_consonant(w, 0)
    p2 = _after_vowel_consonant(w, p1)
    # from here on R1 and R2 are lengths: the last r1 (r2) letters of w are in R1 (R2)
    r1, r2 = len(w) - p1, len(w) - p2

    def replace(cut: int, add: str = "") -> None:
        # a region shorter than the cut is gone, and does not come back with the added letters
        nonlocal w, r1, r2
        w = w[:len(w) - cut] + add
        r1 = r1 - cut + len(add) if r1 >= cut else 0
        r2 = r2 - cut + len(add) if r2 >= cut else 0

    # Step 0: possessive apostrophes
    if "'" in w:
        for suffix in ("'s'", "'s", "'"):
            if w.endswith(suffix):
                replace(len(suffix))
                break

    # Step 1a: plurals (all but -ied end in s)
    if w.endswith("s"):
        if w.endswith("sses"):
            replace(2)
        elif w.endswith("ies"):
            replace(2 if len(w) > 4 else 1)  # cries -> cri, ties -> tie
        elif w.endswith(("us", "ss")):
            pass
        elif not _VOWELS.isdisjoint(w[:-2]):
            replace(1)
    elif w.endswith("ied"):
        replace(2 if len(w) > 4 else 1)

    # Step 1b: -eed, -ed, -ing and their -ly forms
    suffix = _longest_suffix(w, _ENDS_1B)
    if suffix in ("eedly", "eed"):
        if r1 >= len(suffix):
            replace(len(suffix), "ee")
    elif suffix is not None and not _VOWELS.isdisjoint(w[:-len(suffix)]):
        replace(len(suffix))
        if w.endswith(("at", "bl", "iz")):
            w += "e"
            r1 += 1
            # NLTK: R2 takes the "e" by this test, not by where R2 began
            if len(w) > 5 or r1 >= 3:
                r2 += 1
        elif w.endswith(_DOUBLES):
            replace(1)
        elif r1 == 0 and (_short_syllable_end(w) or (
                len(w) == 2 and w[0] in _VOWELS and w[1] not in _VOWELS)):
            w += "e"  # a short word (hop -> hope); R1 and R2 are empty and stay so

    # Step 1c: y after a non-vowel that is not the first letter
    if len(w) > 2 and w[-1] in "yY" and w[-2] not in _VOWELS:
        w = w[:-1] + "i"

    # Step 2
    suffix = _longest_suffix(w, _ENDS_2)
    if suffix is not None and r1 >= len(suffix):
        if suffix == "ogi":
            if w[-4] == "l":
                replace(1)
        elif suffix == "li":
            if w[-3] in _LI_ENDING:
                replace(2)
        else:
            short_r2 = r2 < len(suffix)
            replace(*_STEP2[suffix])
            if short_r2 and suffix in _STEP2_E_IN_R2:
                r2 = 1

    # Step 3
    suffix = _longest_suffix(w, _ENDS_3)
    if suffix is not None and r1 >= len(suffix) and (suffix != "ative" or r2 >= 5):
        replace(*_STEP3[suffix])

    # Step 4: in R2
    suffix = _longest_suffix(w, _ENDS_4)
    if suffix is not None and r2 >= len(suffix):
        if suffix != "ion":
            replace(len(suffix))
        elif w[-4] in "st":
            replace(3)

    # Step 5: -e and -ll
    if r2 >= 1 and w.endswith("ll"):
        replace(1)
    elif r2 >= 1 and w.endswith("e"):
        replace(1)
    elif r1 >= 1 and w.endswith("e") and not (len(w) < 4 or _short_syllable_end(w[:-1])):
        replace(1)
    return w.replace("Y", "y")
