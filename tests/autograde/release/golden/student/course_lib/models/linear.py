"""A miniature two-layer net of linear layers: regions inside methods, one with a long instruction that the stub
wraps, one in a function nested in a method."""
import numpy as np


class TwoLayerNet:
    """Scores = (X @ W1) @ W2 for X: (N, D), W1: (D, H), W2: (H, C)."""

    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-3):
        # TODO [fc_net.TwoLayerNet]: Create the dict self.params with W1 as weight_scale * np.random.randn(input_dim, hidden_dim), then W2 likewise.
        raise NotImplementedError(
            "fc_net.TwoLayerNet: Create the dict self.params with W1 as weight_scale * np.random.randn(input_dim, "
            "hidden_dim), then W2 likewise."
        )

    def scores(self, X):
        """Class scores, (N, C), for X: (N, D)."""
        # TODO [fc_net.TwoLayerNet]: Compute the class scores with "@" (a matrix product).
        raise NotImplementedError("fc_net.TwoLayerNet: Compute the class scores with \"@\" (a matrix product).")

    def predict(self, X):
        """Predicted labels, (N,)."""

        def best(scores):
            # TODO [fc_net.TwoLayerNet]: Return the index of the largest score of each row.
            raise NotImplementedError("fc_net.TwoLayerNet: Return the index of the largest score of each row.")

        return best(self.scores(X))
