"""Models of the miniature course library."""
