"""Chinese-English alignment, translation memory and terminology for UN records."""

__version__ = "0.1.0"
