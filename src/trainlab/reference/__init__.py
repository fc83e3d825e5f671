"""Plain-NumPy reference: twins of every compiled kernel (``trainlab.reference.<kernel>``, the
same names and signatures as ``trainlab.kernels``) and the book's layers, networks and
optimizers (``trainlab.reference.book``)."""
from trainlab.reference import book
from trainlab.reference.kernels import *  # noqa: F401,F403
from trainlab.reference.kernels import __all__, dropout_uniform, softmax  # noqa: F401
