"""A miniature course library: the source side of the release's golden-folder test.

Its TODO lines borrow task ids of the real check registry, which the release checks every TODO line against.
"""
