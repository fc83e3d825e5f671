"""The desktop lab's Qt-free core: run records (what a run was set up with and what it produced),
histogram probes, smoothing and decimation of curves. Nothing here imports Qt, so it is tested and
used without a display; the views draw from it."""
