"""Build the compiled hot loops (Cython) next to the pure-Python package.

Everything else about the package is declared in pyproject.toml; this file only exists
because setuptools takes extension modules from ``setup()``. Every ``.pyx`` under
``aligner/`` becomes an extension of the same dotted name (``aligner/align/_dp.pyx`` ->
``aligner.align._dp``).
"""

from pathlib import Path

from Cython.Build import cythonize
from setuptools import setup

sources = sorted(str(p) for p in Path("aligner").rglob("*.pyx"))
setup(ext_modules=cythonize(sources, language_level=3, quiet=True,
                            compiler_directives={"boundscheck": False, "wraparound": False,
                                                 "cdivision": True}))
