"""Classifiers built from the layers: fully-connected nets and a three-layer convolutional net."""

from course_lib.classifiers.cnn import ThreeLayerConvNet
from course_lib.classifiers.fc_net import FullyConnectedNet, TwoLayerNet

__all__ = ["FullyConnectedNet", "ThreeLayerConvNet", "TwoLayerNet"]
