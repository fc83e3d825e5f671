"""The book's layers used one by one (not inside a network), against the book's code in float64."""
import numpy as np
import pytest

from trainlab.layers import BatchNormalization, Dropout
from trainlab.reference import book


@pytest.mark.parametrize("shape", [(8, 5), (3, 1), (64, 33)])
def test_standalone_batch_norm_is_the_books_forward_backward_and_running_statistics(shape, rng):
    d = shape[1]
    gamma, beta = rng.standard_normal(d) + 1.0, rng.standard_normal(d)
    ours = BatchNormalization(gamma.copy(), beta.copy(), momentum=0.8)
    theirs = book.BatchNormalization(gamma.copy(), beta.copy(), momentum=0.8)
    for _ in range(3):  # the running statistics accumulate over batches
        x, dout = rng.standard_normal(shape) * 3 + 1, rng.standard_normal(shape)
        np.testing.assert_allclose(ours.forward(x, train_flg=True), theirs.forward(x, train_flg=True),
                                   rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.backward(dout), theirs.backward(dout), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ours.dgamma, theirs.dgamma, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.dbeta, theirs.dbeta, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.running_mean, theirs.running_mean, rtol=1e-12)
    np.testing.assert_allclose(ours.running_var, theirs.running_var, rtol=1e-12)
    x = rng.standard_normal(shape)
    np.testing.assert_allclose(ours.forward(x, train_flg=False), theirs.forward(x, train_flg=False),
                               rtol=1e-10, atol=1e-12)


def test_batch_norm_takes_4d_input_like_the_book_and_names_bad_input(rng):
    ours = BatchNormalization(np.ones(12), np.zeros(12))
    theirs = book.BatchNormalization(np.ones(12), np.zeros(12))
    x = rng.standard_normal((4, 3, 2, 2))
    out = ours.forward(x)
    assert out.shape == x.shape
    # the book's layer flattens (N, C, H, W) to (N, C·H·W) and back
    np.testing.assert_allclose(out, theirs.forward(x.reshape(4, -1)).reshape(x.shape), rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="input has 5 features, gamma has 12"):
        ours.forward(np.zeros((2, 5)))
    with pytest.raises(RuntimeError, match="backward called before a training forward"):
        BatchNormalization(np.ones(3), np.zeros(3)).backward(np.zeros((2, 3)))


def test_standalone_dropout_keeps_the_books_scaling(rng):
    layer = Dropout(0.3, seed=1)
    x = rng.standard_normal((200, 50))
    out = layer.forward(x, train_flg=True)
    kept = layer.mask
    assert 0.6 < kept.mean() < 0.8 and np.array_equal(out, x * kept)  # no rescaling, as the book
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), kept.astype(float))
    np.testing.assert_allclose(layer.forward(x, train_flg=False), x * 0.7)
