"""Explanations computed from the library itself: batch normalization as a computational graph
(the book's figure 6-17), forward values and backward gradients node by node, checked against
the compiled kernels and a numerical gradient. Not imported by ``import trainlab``."""
from trainlab.explain.batchnorm import (BOOK_EPS, BackwardStep, BatchNormGraph, EdgeGradient,
                                              GradientCheck, GraphNode, batchnorm_graph,
                                              example_batch)

__all__ = ["batchnorm_graph", "example_batch", "BatchNormGraph", "GraphNode", "BackwardStep",
           "EdgeGradient", "GradientCheck", "BOOK_EPS"]
