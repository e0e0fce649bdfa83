"""Fully-connected classifiers: a two-layer net and a net of any depth with normalization and dropout.

Both models keep their learnable parameters in `self.params` (a dict of arrays) and compute everything in
`loss(X, y=None)`: with y it returns (loss, grads), grads keyed like params; without y it returns the class
scores (test mode). A Solver trains either one.
"""

import numpy as np

from course_lib import _validate
from course_lib.layer_utils import affine_relu_backward, affine_relu_forward
from course_lib.layers import (
    affine_backward,
    affine_forward,
    batchnorm_backward,
    batchnorm_forward,
    dropout_backward,
    dropout_forward,
    layernorm_backward,
    layernorm_forward,
    relu_backward,
    relu_forward,
    softmax_loss,
)


class TwoLayerNet:
    """A two-layer fully-connected network: affine - relu - affine - softmax.

    Inputs have dimension D, the hidden layer has H units, and there are C classes. Learnable parameters:
    - W1: (D, H) first-layer weights;  b1: (H,) first-layer biases
    - W2: (H, C) second-layer weights; b2: (C,) second-layer biases
    """

    def __init__(self, input_dim=3 * 32 * 32, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        """
        Inputs:
        - input_dim: D, the size of one (flattened) input.
        - hidden_dim: H, the number of hidden units.
        - num_classes: C, the number of classes.
        - weight_scale: standard deviation of the normal distribution the weights are drawn from.
        - reg: strength of the L2 penalty 0.5 * reg * sum(W**2) on the weight matrices.
        """
        # TODO [fc_net.TwoLayerNet]: Create the dict self.params: W1 then W2 as weight_scale * np.random.randn(...),
        #   b1 and b2 zeros.
        ### BEGIN SOLUTION
        self.params = {}
        self.params["W1"] = weight_scale * np.random.randn(input_dim, hidden_dim)
        self.params["b1"] = np.zeros(hidden_dim)
        self.params["W2"] = weight_scale * np.random.randn(hidden_dim, num_classes)
        self.params["b2"] = np.zeros(num_classes)
        ### END SOLUTION
        self.reg = reg
        self.num_classes = num_classes

    def loss(self, X, y=None):
        """Compute the loss and gradients for a minibatch, or the scores when y is None.

        Inputs:
        - X: (N, d_1, ..., d_k) inputs with d_1 * ... * d_k = D.
        - y: (N,) integer labels in [0, C), or None.

        Returns:
        - without y: scores, (N, C), where scores[i, c] is the score of class c for X[i].
        - with y: (loss, grads): the scalar loss (data loss plus L2 penalty) and a dict with the gradient of the
          loss for every key of self.params.
        """
        X, y = _validate.loss_inputs("TwoLayerNet", X, y, self.num_classes)
        # TODO [fc_net.TwoLayerNet]: Run affine - relu - affine and store the class scores in `scores`.
        ### BEGIN SOLUTION
        hidden, hidden_cache = affine_relu_forward(X, self.params["W1"], self.params["b1"])
        scores, scores_cache = affine_forward(hidden, self.params["W2"], self.params["b2"])
        ### END SOLUTION

        if y is None:
            return scores

        loss, grads = 0.0, {}
        # TODO [fc_net.TwoLayerNet]: Compute the softmax loss plus 0.5 * reg * sum(W**2) for W1 and W2, and every
        #   gradient into grads.
        ### BEGIN SOLUTION
        W1, W2 = self.params["W1"], self.params["W2"]
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dhidden, grads["W2"], grads["b2"] = affine_backward(dscores, scores_cache)
        _, grads["W1"], grads["b1"] = affine_relu_backward(dhidden, hidden_cache)
        grads["W1"] += self.reg * W1
        grads["W2"] += self.reg * W2
        ### END SOLUTION
        return loss, grads


class FullyConnectedNet:
    """A fully-connected network with any number of hidden layers, optional normalization and dropout.

    With L = len(hidden_dims) + 1 layers the architecture is

        {affine - [batch/layer norm] - relu - [dropout]} x (L - 1) - affine - softmax

    Learnable parameters: W1..WL, b1..bL and, with normalization, gamma1..gamma(L-1) and beta1..beta(L-1).
    """

    def __init__(
        self,
        hidden_dims,
        input_dim=3 * 32 * 32,
        num_classes=10,
        dropout_keep_ratio=1,
        normalization=None,
        reg=0.0,
        weight_scale=1e-2,
        dtype=np.float32,
        seed=None,
    ):
        """
        Inputs:
        - hidden_dims: list of the sizes of the hidden layers.
        - input_dim: D, the size of one (flattened) input.
        - num_classes: C, the number of classes.
        - dropout_keep_ratio: probability of KEEPING a unit in dropout; 1 means no dropout.
        - normalization: None, "batchnorm" or "layernorm", applied after each hidden affine layer.
        - reg: strength of the L2 penalty 0.5 * reg * sum(W**2) on every weight matrix.
        - weight_scale: standard deviation of the normal distribution the weights are drawn from.
        - dtype: numpy dtype of every parameter and computation; float64 for gradient checks.
        - seed: when given, dropout uses it so that its masks are the same on every call (gradient checks).
        """
        hidden_dims = _validate.fully_connected_net(hidden_dims, normalization, dropout_keep_ratio)
        # TODO [fc_net.FullyConnectedNet]: Create the dict self.params: W1..WL in layer order as
        #   weight_scale * np.random.randn(in, out); biases and betas 0, gammas 1.
        ### BEGIN SOLUTION
        self.params = {}
        layer_dims = [input_dim, *hidden_dims, num_classes]
        num_layers = len(layer_dims) - 1
        for layer in range(1, num_layers + 1):
            dim_in, dim_out = layer_dims[layer - 1], layer_dims[layer]
            self.params[f"W{layer}"] = weight_scale * np.random.randn(dim_in, dim_out)
            self.params[f"b{layer}"] = np.zeros(dim_out)
            if normalization is not None and layer < num_layers:
                self.params[f"gamma{layer}"] = np.ones(dim_out)
                self.params[f"beta{layer}"] = np.zeros(dim_out)
        ### END SOLUTION
        self.normalization = normalization
        self.use_dropout = dropout_keep_ratio != 1
        self.reg = reg
        self.num_layers = 1 + len(hidden_dims)
        self.num_classes = num_classes
        self.dtype = dtype

        # Dropout and batchnorm layers keep state between calls in these dicts; loss() sets their modes.
        self.dropout_param = {}
        if self.use_dropout:
            self.dropout_param = {"mode": "train", "p": dropout_keep_ratio}
            if seed is not None:
                self.dropout_param["seed"] = seed
        self.bn_params = []
        if normalization == "batchnorm":
            self.bn_params = [{"mode": "train"} for _ in range(self.num_layers - 1)]
        if normalization == "layernorm":
            self.bn_params = [{} for _ in range(self.num_layers - 1)]

        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def loss(self, X, y=None):
        """Compute the loss and gradients for a minibatch, or the scores when y is None.

        Inputs:
        - X: (N, d_1, ..., d_k) inputs with d_1 * ... * d_k = D; never modified.
        - y: (N,) integer labels in [0, C), or None for test mode (dropout off, batchnorm on running statistics).

        Returns:
        - without y: scores, (N, C).
        - with y: (loss, grads): the scalar loss (data loss plus L2 penalty on the weights) and a dict with the
          gradient of the loss for every key of self.params.
        """
        X, y = _validate.loss_inputs("FullyConnectedNet", X, y, self.num_classes, dtype=self.dtype)
        # TODO [fc_net.FullyConnectedNet]: Set "mode" ("test" when y is None, else "train") in self.dropout_param
        #   and each of self.bn_params; run {affine - [norm] - relu - [dropout]} x (L - 1), then affine into
        #   `scores`; keep every cache.
        ### BEGIN SOLUTION
        mode = "test" if y is None else "train"
        if self.use_dropout:
            self.dropout_param["mode"] = mode
        if self.normalization == "batchnorm":
            for bn_param in self.bn_params:
                bn_param["mode"] = mode
        hidden = X
        hidden_caches = []
        for layer in range(1, self.num_layers):
            hidden, affine_cache = affine_forward(hidden, self.params[f"W{layer}"], self.params[f"b{layer}"])
            norm_cache = None
            if self.normalization == "batchnorm":
                hidden, norm_cache = batchnorm_forward(
                    hidden, self.params[f"gamma{layer}"], self.params[f"beta{layer}"], self.bn_params[layer - 1]
                )
            elif self.normalization == "layernorm":
                hidden, norm_cache = layernorm_forward(
                    hidden, self.params[f"gamma{layer}"], self.params[f"beta{layer}"], self.bn_params[layer - 1]
                )
            hidden, relu_cache = relu_forward(hidden)
            dropout_cache = None
            if self.use_dropout:
                hidden, dropout_cache = dropout_forward(hidden, self.dropout_param)
            hidden_caches.append((affine_cache, norm_cache, relu_cache, dropout_cache))
        last = self.num_layers
        scores, scores_cache = affine_forward(hidden, self.params[f"W{last}"], self.params[f"b{last}"])
        ### END SOLUTION

        if y is None:
            return scores

        loss, grads = 0.0, {}
        # TODO [fc_net.FullyConnectedNet]: Softmax loss plus 0.5 * reg * sum(W**2) over all W; backpropagate in
        #   reverse into grads (+ reg * W).
        ### BEGIN SOLUTION
        loss, dscores = softmax_loss(scores, y)
        last = self.num_layers
        dhidden, grads[f"W{last}"], grads[f"b{last}"] = affine_backward(dscores, scores_cache)
        for layer in range(self.num_layers - 1, 0, -1):
            affine_cache, norm_cache, relu_cache, dropout_cache = hidden_caches[layer - 1]
            if self.use_dropout:
                dhidden = dropout_backward(dhidden, dropout_cache)
            dhidden = relu_backward(dhidden, relu_cache)
            if self.normalization == "batchnorm":
                dhidden, grads[f"gamma{layer}"], grads[f"beta{layer}"] = batchnorm_backward(dhidden, norm_cache)
            elif self.normalization == "layernorm":
                dhidden, grads[f"gamma{layer}"], grads[f"beta{layer}"] = layernorm_backward(dhidden, norm_cache)
            dhidden, grads[f"W{layer}"], grads[f"b{layer}"] = affine_backward(dhidden, affine_cache)
        for layer in range(1, self.num_layers + 1):
            W = self.params[f"W{layer}"]
            loss += 0.5 * self.reg * np.sum(W * W)
            grads[f"W{layer}"] += self.reg * W
        ### END SOLUTION
        return loss, grads
