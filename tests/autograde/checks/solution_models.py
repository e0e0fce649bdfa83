"""Independent correct solutions of the models (TwoLayerNet, FullyConnectedNet, ThreeLayerConvNet) in CS231n's
style: whole classes, after the imports they use, for the module that defines them in the reference."""

FC_NET_IMPORTS = '''
from course_lib.layers import (affine_backward, affine_forward, batchnorm_backward, batchnorm_forward,
                               dropout_backward, dropout_forward, layernorm_backward, layernorm_forward,
                               relu_backward, relu_forward, softmax_loss)
'''

TWO_LAYER_NET = '''

class TwoLayerNet:
    def __init__(self, input_dim=3 * 32 * 32, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        self.params = {}
        self.reg = reg
        self.params["W1"] = weight_scale * np.random.randn(input_dim, hidden_dim)
        self.params["b1"] = np.zeros(hidden_dim)
        self.params["W2"] = weight_scale * np.random.randn(hidden_dim, num_classes)
        self.params["b2"] = np.zeros(num_classes)

    def loss(self, X, y=None):
        affine1, cache1 = affine_forward(X, self.params["W1"], self.params["b1"])
        hidden, relu_cache = relu_forward(affine1)
        scores, cache2 = affine_forward(hidden, self.params["W2"], self.params["b2"])
        if y is None:
            return scores
        data_loss, dscores = softmax_loss(scores, y)
        grads = {}
        dhidden, grads["W2"], grads["b2"] = affine_backward(dscores, cache2)
        _, grads["W1"], grads["b1"] = affine_backward(relu_backward(dhidden, relu_cache), cache1)
        penalty = 0.0
        for name in ("W1", "W2"):
            penalty += 0.5 * self.reg * np.sum(self.params[name] ** 2)
            grads[name] = grads[name] + self.reg * self.params[name]
        return data_loss + penalty, grads
'''

FULLY_CONNECTED_NET = '''

class FullyConnectedNet:
    def __init__(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, dropout_keep_ratio=1,
                 normalization=None, reg=0.0, weight_scale=1e-2, dtype=np.float32, seed=None):
        self.normalization = normalization
        self.use_dropout = dropout_keep_ratio != 1
        self.reg = reg
        self.num_layers = 1 + len(hidden_dims)
        self.dtype = dtype
        self.params = {}
        dims = [input_dim] + list(hidden_dims) + [num_classes]
        for i in range(self.num_layers):
            self.params["W%d" % (i + 1)] = weight_scale * np.random.randn(dims[i], dims[i + 1])
            self.params["b%d" % (i + 1)] = np.zeros(dims[i + 1])
            if normalization and i < self.num_layers - 1:
                self.params["gamma%d" % (i + 1)] = np.ones(dims[i + 1])
                self.params["beta%d" % (i + 1)] = np.zeros(dims[i + 1])
        self.dropout_param = {"mode": "train", "p": dropout_keep_ratio} if self.use_dropout else {}
        if self.use_dropout and seed is not None:
            self.dropout_param["seed"] = seed
        first_param = {"mode": "train"} if normalization == "batchnorm" else {}
        self.bn_params = [dict(first_param) for _ in range(self.num_layers - 1)] if normalization else []
        self.params = {k: v.astype(dtype) for k, v in self.params.items()}

    def loss(self, X, y=None):
        X = X.astype(self.dtype)
        mode = "train" if y is not None else "test"
        if self.use_dropout:
            self.dropout_param.update(mode=mode)
        for bn_param in self.bn_params if self.normalization == "batchnorm" else []:
            bn_param.update(mode=mode)
        caches = []
        h = X
        for i in range(1, self.num_layers):
            h, fc_cache = affine_forward(h, self.params["W%d" % i], self.params["b%d" % i])
            norm_cache = drop_cache = None
            if self.normalization == "batchnorm":
                h, norm_cache = batchnorm_forward(h, self.params["gamma%d" % i], self.params["beta%d" % i],
                                                  self.bn_params[i - 1])
            elif self.normalization == "layernorm":
                h, norm_cache = layernorm_forward(h, self.params["gamma%d" % i], self.params["beta%d" % i],
                                                  self.bn_params[i - 1])
            h, relu_cache = relu_forward(h)
            if self.use_dropout:
                h, drop_cache = dropout_forward(h, self.dropout_param)
            caches.append((fc_cache, norm_cache, relu_cache, drop_cache))
        L = self.num_layers
        scores, last_cache = affine_forward(h, self.params["W%d" % L], self.params["b%d" % L])
        if mode == "test":
            return scores
        grads = {}
        loss, dout = softmax_loss(scores, y)
        dout, grads["W%d" % L], grads["b%d" % L] = affine_backward(dout, last_cache)
        for i in range(L - 1, 0, -1):
            fc_cache, norm_cache, relu_cache, drop_cache = caches[i - 1]
            if self.use_dropout:
                dout = dropout_backward(dout, drop_cache)
            dout = relu_backward(dout, relu_cache)
            if self.normalization == "batchnorm":
                dout, grads["gamma%d" % i], grads["beta%d" % i] = batchnorm_backward(dout, norm_cache)
            elif self.normalization == "layernorm":
                dout, grads["gamma%d" % i], grads["beta%d" % i] = layernorm_backward(dout, norm_cache)
            dout, grads["W%d" % i], grads["b%d" % i] = affine_backward(dout, fc_cache)
        for i in range(1, L + 1):
            W = self.params["W%d" % i]
            loss += 0.5 * self.reg * np.sum(W * W)
            grads["W%d" % i] += self.reg * W
        return loss, grads
'''

THREE_LAYER_CONV_NET = '''
from course_lib.layer_utils import (affine_relu_backward, affine_relu_forward, conv_relu_pool_backward,
                                    conv_relu_pool_forward)
from course_lib.layers import affine_backward, affine_forward, softmax_loss


class ThreeLayerConvNet:
    def __init__(self, input_dim=(3, 32, 32), num_filters=32, filter_size=7, hidden_dim=100, num_classes=10,
                 weight_scale=1e-3, reg=0.0, dtype=np.float32):
        self.params = {}
        self.reg = reg
        self.dtype = dtype
        C, H, W = input_dim
        self.params["W1"] = weight_scale * np.random.randn(num_filters, C, filter_size, filter_size)
        self.params["b1"] = np.zeros(num_filters)
        self.params["W2"] = weight_scale * np.random.randn(num_filters * (H // 2) * (W // 2), hidden_dim)
        self.params["b2"] = np.zeros(hidden_dim)
        self.params["W3"] = weight_scale * np.random.randn(hidden_dim, num_classes)
        self.params["b3"] = np.zeros(num_classes)
        for k, v in self.params.items():
            self.params[k] = v.astype(dtype)

    def loss(self, X, y=None):
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        W3, b3 = self.params["W3"], self.params["b3"]
        conv_param = {"stride": 1, "pad": (W1.shape[2] - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        pooled, cache1 = conv_relu_pool_forward(X.astype(self.dtype), W1, b1, conv_param, pool_param)
        hidden, cache2 = affine_relu_forward(pooled, W2, b2)
        scores, cache3 = affine_forward(hidden, W3, b3)
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * (np.sum(W1**2) + np.sum(W2**2) + np.sum(W3**2))
        grads = {}
        dhidden, grads["W3"], grads["b3"] = affine_backward(dscores, cache3)
        dpooled, grads["W2"], grads["b2"] = affine_relu_backward(dhidden, cache2)
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dpooled, cache1)
        for name in ("W1", "W2", "W3"):
            grads[name] += self.reg * self.params[name]
        return loss, grads
'''

MODELS = {"classifiers/fc_net.py": FC_NET_IMPORTS + TWO_LAYER_NET + FULLY_CONNECTED_NET,
          "classifiers/cnn.py": THREE_LAYER_CONV_NET}
