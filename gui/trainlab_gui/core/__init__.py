"""The desktop lab's Qt-free core: run records (what a run was set up with and what it produced),
the training process's side (``child``, ``lossring``), the settings form's description
(``form``), run names and settings as text (``naming``), histogram probes, smoothing and
decimation of curves. Nothing here imports Qt, so it is tested and used without a display (and
the training process starts without loading Qt); the views draw from it."""
