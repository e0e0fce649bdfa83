"""A miniature two-layer net of linear layers: regions inside methods, one with a long instruction that the stub
wraps, one in a function nested in a method."""
import numpy as np


class TwoLayerNet:
    """Scores = (X @ W1) @ W2 for X: (N, D), W1: (D, H), W2: (H, C)."""

    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-3):
        # TODO [fc_net.TwoLayerNet]: Create the dict self.params with W1 as weight_scale * np.random.randn(input_dim, hidden_dim), then W2 likewise.
        ### BEGIN SOLUTION
        self.params = {}
        self.params["W1"] = weight_scale * np.random.randn(input_dim, hidden_dim)
        self.params["W2"] = weight_scale * np.random.randn(hidden_dim, num_classes)
        ### END SOLUTION

    def scores(self, X):
        """Class scores, (N, C), for X: (N, D)."""
        # TODO [fc_net.TwoLayerNet]: Compute the class scores with "@" (a matrix product).
        ### BEGIN SOLUTION
        return X @ self.params["W1"] @ self.params["W2"]  # (N, C)
        ### END SOLUTION

    def predict(self, X):
        """Predicted labels, (N,)."""

        def best(scores):
            # TODO [fc_net.TwoLayerNet]: Return the index of the largest score of each row.
            ### BEGIN SOLUTION
            return scores.argmax(axis=1)  # (N,)
            ### END SOLUTION

        return best(self.scores(X))
