"""Compiled kernels built from ext/*.pyx. Use them through trainlab.kernels, which validates input."""
