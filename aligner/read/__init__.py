"""Reading a record: bytes, PDF or DOCX in; furniture stripped, wrapped lines rejoined,
paragraphs and speaker turns recovered; then sentences (``Segment``) for the aligner."""
