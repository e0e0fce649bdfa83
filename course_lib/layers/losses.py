"""Classification losses on class scores: multiclass SVM (hinge) and softmax (cross-entropy)."""
import numpy as np

from course_lib.layers import _validate


def svm_loss(x, y):
    """Multiclass SVM loss, averaged over the minibatch, and its gradient.

    loss = (1/N) * sum_i sum_{j != y[i]} max(0, x[i, j] - x[i, y[i]] + 1)

    Inputs:
    - x: (N, C) class scores, x[i, j] is the score of class j for example i
    - y: (N,) integer labels, 0 <= y[i] < C

    Returns a tuple of:
    - loss: scalar loss
    - dx: (N, C) gradient of the loss with respect to x

    Modifies none of its inputs.
    """
    _validate.svm_loss(x, y)
    # TODO [layers.svm_loss]: Compute the hinge loss with margin 1 (the correct class adds nothing) and its gradient.
    ### BEGIN SOLUTION
    num_examples = x.shape[0]
    rows = np.arange(num_examples)
    correct_scores = x[rows, y]  # (N,)
    margins = np.maximum(0, x - correct_scores[:, None] + 1)  # (N, C)
    margins[rows, y] = 0
    loss = margins.sum() / num_examples
    positive = (margins > 0).astype(x.dtype)  # (N, C)
    dx = positive
    dx[rows, y] = -positive.sum(axis=1)
    dx /= num_examples
    ### END SOLUTION
    return loss, dx


def softmax_loss(x, y):
    """Softmax (cross-entropy) loss, averaged over the minibatch, and its gradient.

    loss = -(1/N) * sum_i log(exp(x[i, y[i]]) / sum_j exp(x[i, j]))

    The computation stays finite for large scores (it shifts each row by its maximum first).

    Inputs:
    - x: (N, C) class scores, x[i, j] is the score of class j for example i
    - y: (N,) integer labels, 0 <= y[i] < C

    Returns a tuple of:
    - loss: scalar loss
    - dx: (N, C) gradient of the loss with respect to x

    Modifies none of its inputs.
    """
    _validate.softmax_loss(x, y)
    # TODO [layers.softmax_loss]: Compute the loss and its gradient; subtract each row's maximum before exponentiating.
    ### BEGIN SOLUTION
    num_examples = x.shape[0]
    rows = np.arange(num_examples)
    shifted = x - x.max(axis=1, keepdims=True)  # (N, C)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, C)
    loss = -log_probs[rows, y].sum() / num_examples
    dx = np.exp(log_probs)
    dx[rows, y] -= 1
    dx /= num_examples
    ### END SOLUTION
    return loss, dx
