"""Views of the assessment, one module per area (see urls.py)."""
