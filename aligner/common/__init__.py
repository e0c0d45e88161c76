"""What every stage shares: the pipeline's types, user errors, atomic file output, script
detection and the alignment file formats. It imports nothing of the stages."""
