"""A three-layer convolutional network: conv - relu - 2x2 max pool - affine - relu - affine - softmax."""

import numpy as np

from course_lib import _validate
from course_lib.layer_utils import (
    affine_relu_backward,
    affine_relu_forward,
    conv_relu_pool_backward,
    conv_relu_pool_forward,
)
from course_lib.layers import affine_backward, affine_forward, softmax_loss


class ThreeLayerConvNet:
    """conv - relu - 2x2 max pool - affine - relu - affine - softmax on inputs of shape (N, C, H, W).

    The convolution keeps the spatial size (stride 1, zero padding (filter_size - 1) // 2) and the pool halves it.
    Learnable parameters:
    - W1: (F, C, filter_size, filter_size) filters;  b1: (F,)
    - W2: (F * (H // 2) * (W // 2), hidden_dim);      b2: (hidden_dim,)
    - W3: (hidden_dim, num_classes);                  b3: (num_classes,)
    """

    def __init__(
        self,
        input_dim=(3, 32, 32),
        num_filters=32,
        filter_size=7,
        hidden_dim=100,
        num_classes=10,
        weight_scale=1e-3,
        reg=0.0,
        dtype=np.float32,
    ):
        """
        Inputs:
        - input_dim: (C, H, W), the shape of one input.
        - num_filters: F, the number of convolution filters.
        - filter_size: the height and width of each filter; odd, so that padding keeps the spatial size.
        - hidden_dim: the number of units of the hidden affine layer.
        - num_classes: the number of classes.
        - weight_scale: standard deviation of the normal distribution the weights are drawn from.
        - reg: strength of the L2 penalty 0.5 * reg * sum(W**2) on W1, W2 and W3.
        - dtype: numpy dtype of every parameter and computation; float64 for gradient checks.
        """
        _validate.three_layer_conv_net(input_dim, filter_size)
        # TODO [cnn.ThreeLayerConvNet]: Create the dict self.params: W1, W2, W3 in that order as
        #   weight_scale * np.random.randn (shapes above); b1, b2, b3 zeros.
        ### BEGIN SOLUTION
        self.params = {}
        channels, height, width = input_dim  # one input is (C, H, W)
        pooled_size = num_filters * (height // 2) * (width // 2)
        self.params["W1"] = weight_scale * np.random.randn(num_filters, channels, filter_size, filter_size)
        self.params["b1"] = np.zeros(num_filters)
        self.params["W2"] = weight_scale * np.random.randn(pooled_size, hidden_dim)
        self.params["b2"] = np.zeros(hidden_dim)
        self.params["W3"] = weight_scale * np.random.randn(hidden_dim, num_classes)
        self.params["b3"] = np.zeros(num_classes)
        ### END SOLUTION
        self.reg = reg
        self.num_classes = num_classes
        self.dtype = dtype

        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def loss(self, X, y=None):
        """Compute the loss and gradients for a minibatch, or the scores when y is None.

        Inputs:
        - X: (N, C, H, W) inputs; never modified.
        - y: (N,) integer labels in [0, num_classes), or None.

        Returns:
        - without y: scores, (N, num_classes).
        - with y: (loss, grads): the scalar loss (data loss plus L2 penalty on W1, W2, W3) and a dict with the
          gradient of the loss for every key of self.params.
        """
        X, y = _validate.loss_inputs("ThreeLayerConvNet", X, y, self.num_classes, dtype=self.dtype, ndim=4)
        # TODO [cnn.ThreeLayerConvNet]: Run conv-relu-pool (stride 1, padding (filter_size - 1) // 2; 2x2 pool,
        #   stride 2), affine-relu and affine (use layer_utils), and store the class scores in `scores`.
        ### BEGIN SOLUTION
        filter_size = self.params["W1"].shape[2]
        conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        pooled, pooled_cache = conv_relu_pool_forward(X, self.params["W1"], self.params["b1"], conv_param, pool_param)
        hidden, hidden_cache = affine_relu_forward(pooled, self.params["W2"], self.params["b2"])
        scores, scores_cache = affine_forward(hidden, self.params["W3"], self.params["b3"])
        ### END SOLUTION

        if y is None:
            return scores

        loss, grads = 0.0, {}
        # TODO [cnn.ThreeLayerConvNet]: Compute the softmax loss plus 0.5 * reg * sum(W**2) for W1, W2, W3, and
        #   every gradient into grads.
        ### BEGIN SOLUTION
        loss, dscores = softmax_loss(scores, y)
        dhidden, grads["W3"], grads["b3"] = affine_backward(dscores, scores_cache)
        dpooled, grads["W2"], grads["b2"] = affine_relu_backward(dhidden, hidden_cache)
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dpooled, pooled_cache)
        for name in ("W1", "W2", "W3"):
            W = self.params[name]
            loss += 0.5 * self.reg * np.sum(W * W)
            grads[name] += self.reg * W
        ### END SOLUTION
        return loss, grads
