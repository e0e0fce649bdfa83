"""A model class: regions inside methods, one of them with a long instruction that the stub wraps."""
import numpy as np


class LinearClassifier:
    """Scores = X @ W + b for X: (N, D), W: (D, C), b: (C,)."""

    def __init__(self, input_dim, num_classes, weight_scale=1e-3):
        self.params = {}
        # TODO: Draw W as weight_scale * np.random.randn(input_dim, num_classes) and set b to zeros of shape (num_classes,) without any random draw.
        raise NotImplementedError(
            "LinearClassifier.__init__: Draw W as weight_scale * np.random.randn(input_dim, num_classes) and set b to "
            "zeros of shape (num_classes,) without any random draw."
        )

    def scores(self, X):
        """Class scores, (N, C), for X: (N, D)."""
        # TODO: Compute the class scores with "@" (a matrix product).
        raise NotImplementedError("LinearClassifier.scores: Compute the class scores with \"@\" (a matrix product).")

    def predict(self, X):
        """Predicted labels, (N,)."""

        def best(scores):
            # TODO: Return the index of the largest score of each row.
            raise NotImplementedError(
                "LinearClassifier.predict.best: Return the index of the largest score of each row."
            )

        return best(self.scores(X))
