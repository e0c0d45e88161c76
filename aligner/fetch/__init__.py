"""Records from the source: a document symbol to a file in ``corpora/``, from the UN Official
Document System (ODS), over a download that survives a poor connection.
"""
