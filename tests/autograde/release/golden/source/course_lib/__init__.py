"""A miniature course library: the source side of the release's golden-folder test."""
