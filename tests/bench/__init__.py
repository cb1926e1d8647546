"""The benchmark: a tool beside the tests, not part of the product. ``make bench`` runs it."""
