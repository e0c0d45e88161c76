"""``aligner review``: correct an alignment in the browser, re-align around the fixes.

``state`` holds the alignment under review and its undo history, ``server`` the local web
server and its JSON API, ``assets`` the page.
"""
