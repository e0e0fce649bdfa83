"""Public checks: the cases the notebooks show, shipped to students with their expected values."""
