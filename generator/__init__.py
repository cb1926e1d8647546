"""briefs: YAML fact records and BibTeX references into a cited static site."""
