"""Reference layers: each *_forward returns (out, cache) and each *_backward(dout, cache) returns the gradients.

One module per layer family, forward beside backward; everything is re-exported here so that both
`from course_lib.layers import *` and `course_lib.layers.affine_forward` work, as in CS231n.
"""
from course_lib.layers.affine import affine_backward, affine_forward, relu_backward, relu_forward
from course_lib.layers.batchnorm import (
    batchnorm_backward,
    batchnorm_backward_alt,
    batchnorm_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
)
from course_lib.layers.conv import conv_backward_naive, conv_forward_naive
from course_lib.layers.dropout import dropout_backward, dropout_forward
from course_lib.layers.layernorm import (
    layernorm_backward,
    layernorm_forward,
    spatial_groupnorm_backward,
    spatial_groupnorm_forward,
)
from course_lib.layers.losses import softmax_loss, svm_loss
from course_lib.layers.pooling import max_pool_backward_naive, max_pool_forward_naive

__all__ = [
    "affine_forward",
    "affine_backward",
    "relu_forward",
    "relu_backward",
    "svm_loss",
    "softmax_loss",
    "batchnorm_forward",
    "batchnorm_backward",
    "batchnorm_backward_alt",
    "spatial_batchnorm_forward",
    "spatial_batchnorm_backward",
    "layernorm_forward",
    "layernorm_backward",
    "spatial_groupnorm_forward",
    "spatial_groupnorm_backward",
    "dropout_forward",
    "dropout_backward",
    "conv_forward_naive",
    "conv_backward_naive",
    "max_pool_forward_naive",
    "max_pool_backward_naive",
]
