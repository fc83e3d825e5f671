"""The training loop of the book's ``ch06/optimizer_compare_mnist.py`` in a fresh process, on the
library given: ``trainlab`` (its imports changed, default settings) or ``book`` (the book's code as
``trainlab.reference.book`` writes it out).

    python -m benchmarks.book_pattern {trainlab,book} DATA.npz ITERATIONS

Four 784-100x4-10 networks (SGD, Momentum, AdaGrad, Adam, the book's defaults) alternate on the
same batch of 128 drawn with ``np.random.choice`` and fancy indexing, ``loss()`` after every
``update``, and the book's print every 100 iterations. DATA.npz holds ``x`` (float32 pixels) and
``t`` (labels). Prints one JSON line: the ms spent importing, in the loop, and per gradient() call.
"""
import time

started = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

backend, data, max_iterations = sys.argv[1], sys.argv[2], int(sys.argv[3])
if backend == "book":
    from trainlab.reference.book import MultiLayerNet, SGD, Momentum, AdaGrad, Adam
elif backend == "trainlab":
    from trainlab import MultiLayerNet
    from trainlab.optim import SGD, Momentum, AdaGrad, Adam
else:
    sys.exit(f"unknown backend {backend!r}: expected 'trainlab' or 'book'")
imported = time.perf_counter()

with np.load(data) as f:
    x_train, t_train = f["x"], f["t"]
np.random.seed(0)
train_size = x_train.shape[0]
batch_size = 128

optimizers = {"SGD": SGD(), "Momentum": Momentum(), "AdaGrad": AdaGrad(), "Adam": Adam()}
networks, train_loss = {}, {}
for key in optimizers:
    networks[key] = MultiLayerNet(input_size=784, hidden_size_list=[100, 100, 100, 100], output_size=10)
    train_loss[key] = []

loop_start = time.perf_counter()
in_gradient = 0.0
for i in range(max_iterations):
    batch_mask = np.random.choice(train_size, batch_size)
    x_batch = x_train[batch_mask]
    t_batch = t_train[batch_mask]

    for key in optimizers:
        start = time.perf_counter()
        grads = networks[key].gradient(x_batch, t_batch)
        in_gradient += time.perf_counter() - start
        optimizers[key].update(networks[key].params, grads)

        loss = networks[key].loss(x_batch, t_batch)
        train_loss[key].append(loss)

    if i % 100 == 0:
        print("===========" + "iteration:" + str(i) + "===========", file=sys.stderr)
        for key in optimizers:
            print(key + ":" + str(networks[key].loss(x_batch, t_batch)), file=sys.stderr)
done = time.perf_counter()

if not all(np.isfinite(losses).all() for losses in train_loss.values()):
    sys.exit("a loss was not finite")
print(json.dumps({"import_ms": (imported - started) * 1e3, "loop_ms": (done - loop_start) * 1e3,
                  "gradient_ms": in_gradient / (max_iterations * len(optimizers)) * 1e3,
                  "in_process_ms": (done - started) * 1e3}))
