"""trainlab.explain: the batch-norm graph's forward values and backward steps against the
compiled kernels, the book's chain of steps and central differences (float64)."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from trainlab import kernels, reference
from trainlab.explain import BOOK_EPS, batchnorm_graph, example_batch
from trainlab.explain import batchnorm as graph_module
from trainlab.explain.batchnorm_picture import (check_text, format_matrix, picture, place, route,
                                                stage_count, step_text)

VALUES = st.floats(-10, 10, allow_nan=False, width=64)
SCALES = st.floats(-5, 5, allow_nan=False, width=64)


@st.composite
def batches(draw, min_spread=0.1):
    """(x, dout, γ, β); every column of x spread by at least ``min_spread`` (std)."""
    n, d = draw(st.integers(2, 8)), draw(st.integers(1, 4))
    x = draw(arrays(np.float64, (n, d), elements=VALUES))
    assume(x.std(axis=0).min() >= min_spread)
    return (x, draw(arrays(np.float64, (n, d), elements=VALUES)),
            draw(arrays(np.float64, (d,), elements=SCALES)), draw(arrays(np.float64, (d,), elements=SCALES)))


def kernel_gradients(x, dout, gamma, beta, eps=BOOK_EPS, impl=kernels):
    n, d = x.shape
    out, xn, inv_std = np.empty((n, d)), np.empty((n, d)), np.empty(d)
    impl.batchnorm_forward_train(x, gamma, beta, np.zeros(d), np.zeros(d), 0.9, eps, xn, inv_std, out)
    dx, dgamma, dbeta = np.empty((n, d)), np.empty(d), np.empty(d)
    impl.batchnorm_backward(dout, xn, gamma, inv_std, dx, dgamma, dbeta)
    return out, dx, dgamma, dbeta


@settings(max_examples=300, deadline=None)
@given(batches())
def test_graph_gradients_equal_the_kernels_to_1e_12(batch):
    x, dout, gamma, beta = batch
    g = batchnorm_graph(x, dout, gamma, beta)
    out, dx, dgamma, dbeta = kernel_gradients(x, dout, gamma, beta)  # computed here, independently
    for mine, theirs in ((g.out, out), (g.dx, dx), (g.dgamma, dgamma), (g.dbeta, dbeta)):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)
    assert g.check.max_kernel_diff <= 1e-12 and g.check.agrees_with_kernel
    # the book's chain of steps (the reference twin) gives the same
    book = kernel_gradients(x, dout, gamma, beta, impl=reference)
    np.testing.assert_allclose(g.dx, book[1], rtol=0, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(batches())
def test_graph_gradients_equal_central_differences(batch):
    x, dout, gamma, beta = batch
    g = batchnorm_graph(x, dout, gamma, beta)
    scale = max(1.0, np.abs(g.dx).max(), np.abs(g.dgamma).max(), np.abs(g.dbeta).max())
    assert g.check.max_numerical_diff <= 1e-6 * scale
    assert g.check.agrees_with_numerical
    for key, mine in (("dx", g.dx), ("dgamma", g.dgamma), ("dbeta", g.dbeta)):
        assert g.check.numerical_max_diff[key] == np.abs(mine - g.check.numerical[key]).max()


@pytest.mark.parametrize("x", [
    np.full((4, 3), 8.99),                                      # constant columns: σ = √ε
    np.array([[10.0, 1.0], [10.000001, 2.0], [10.0, 3.0]]),     # a spread far below √ε
    np.array([[0.3, -2.0, 5.0]]),                               # a batch of one row
])
def test_ill_conditioned_batches_agree_within_float64s_reach(x):
    """Where σ is tiny next to |x|, the mean's rounding divided by σ is all float64 can do."""
    rng = np.random.default_rng(3)
    g = batchnorm_graph(x, rng.standard_normal(x.shape) * 5, rng.uniform(-5, 5, x.shape[1]))
    assert np.all(np.isfinite(g.dx))
    assert g.check.agrees_with_kernel, (g.check.kernel_max_diff, g.check.kernel_tolerance)
    assert g.check.agrees_with_numerical, (g.check.numerical_max_diff, g.check.numerical_tolerance)


def test_node_values_follow_the_book():
    x, gamma, beta, dout = example_batch()
    g = batchnorm_graph(x, dout, gamma, beta)
    v = {k: node.value for k, node in g.nodes.items()}
    mu = x.mean(axis=0)
    std = np.sqrt(((x - mu) ** 2).mean(axis=0) + 1e-6)  # the book's 10e-7
    np.testing.assert_allclose(v["mu"], mu, rtol=1e-15)
    np.testing.assert_allclose(v["std"], std, rtol=1e-15)
    np.testing.assert_allclose(v["inv"], 1 / std, rtol=1e-15)
    np.testing.assert_allclose(v["xhat"], (x - mu) / std, rtol=1e-14)
    np.testing.assert_allclose(v["out"], gamma * (x - mu) / std + beta, rtol=1e-14)
    assert [n.symbol for n in g.nodes.values()] == ["x", "γ", "β", "μ", "xc", "xc²", "var", "σ",
                                                    "1/σ", "x̂", "γx̂", "out"]


def test_backward_steps_run_from_the_output_and_add_up():
    x, gamma, beta, dout = example_batch(5, 2, seed=4)
    g = batchnorm_graph(x, dout, gamma, beta)
    order = [s.node for s in g.steps]
    assert order == ["out", "scaled", "xhat", "inv", "std", "var", "sq", "xc", "mu"]
    for i, step in enumerate(g.steps):  # a node sends only once every consumer has sent to it
        consumers = [k for k, n in g.nodes.items() if step.node in n.inputs]
        assert all(order.index(c) < i for c in consumers)
        np.testing.assert_array_equal(step.upstream, g.grads[step.node])
        for edge in step.edges:
            assert edge.contribution.shape == g.nodes[edge.source].value.shape
    for key in ("x", "xc", "gamma", "beta"):  # every gradient is the sum of what its edges sent
        sent = [e.contribution for s in g.steps for e in s.edges if e.source == key]
        np.testing.assert_allclose(sum(sent), g.grads[key], rtol=0, atol=1e-15)
    assert len([e for s in g.steps for e in s.edges if e.source == "xc"]) == 2
    xhat_step = g.steps[order.index("xhat")]
    inv_edge = next(e for e in xhat_step.edges if e.source == "inv")
    assert inv_edge.reduction == "summed over the N rows" and inv_edge.local_formula == "∂x̂/∂(1/σ) = xc"
    np.testing.assert_allclose(inv_edge.contribution, (xhat_step.upstream * g.nodes["xc"].value).sum(0))


def test_received_counts_paths():
    x, gamma, beta, dout = example_batch()
    g = batchnorm_graph(x, dout, gamma, beta)
    assert set(g.received(0)) == {"out"}
    after_xhat = g.received(3)
    grad, got, total = after_xhat["xc"]
    assert (got, total) == (1, 2)
    done = g.received(len(g.steps))
    for key in g.nodes:
        grad, got, total = done[key]
        assert got == total
        np.testing.assert_array_equal(grad, g.grads[key])
    with pytest.raises(ValueError, match="steps_done"):
        g.received(len(g.steps) + 1)


def test_a_kernel_that_disagrees_is_reported(monkeypatch):
    """The check runs the kernel: a wrong result is seen, not assumed away."""
    real = kernels.batchnorm_backward

    def off_by_a_bit(dout, xn, gamma, inv_std, dx, dgamma, dbeta, n_threads=1):
        real(dout, xn, gamma, inv_std, dx, dgamma, dbeta, n_threads)
        dx[0, 0] += 1e-6

    monkeypatch.setattr(kernels, "batchnorm_backward", off_by_a_bit)
    x, gamma, beta, dout = example_batch()
    g = batchnorm_graph(x, dout, gamma, beta)
    assert not g.check.agrees_with_kernel
    assert abs(g.check.kernel_max_diff["dx"] - 1e-6) < 1e-12
    assert "DIFFER FROM the compiled kernel" in check_text(g)


def test_the_numerical_check_sees_a_wrong_graph(monkeypatch):
    x, gamma, beta, dout = example_batch()
    real = graph_module._local_gradients

    def wrong_variance(v, n):
        local = real(v, n)
        local["std"] = [("var", 1.0 / v["std"], "wrong")]  # forgot the 1/2
        return local

    monkeypatch.setattr(graph_module, "_local_gradients", wrong_variance)
    g = batchnorm_graph(x, dout, gamma, beta)
    assert not g.check.agrees_with_kernel and not g.check.agrees_with_numerical


@pytest.mark.parametrize("kwargs, message", [
    (dict(x=np.ones(3), dout=np.ones(3)), "2-D"),
    (dict(x=np.ones((0, 3)), dout=np.ones((0, 3))), "N, D >= 1"),
    (dict(x=np.ones((2, 3)), dout=np.ones((3, 2))), "dout must have shape"),
    (dict(x=np.ones((2, 3)), dout=np.ones((2, 3)), gamma=np.ones(2)), "gamma must have shape"),
    (dict(x=[[1.0, np.nan]], dout=[[1.0, 1.0]]), "x holds NaN"),
    (dict(x=[[1.0, 2.0]], dout=[[1.0, np.inf]]), "dout holds NaN or infinite"),
    (dict(x=[["a", 1.0]], dout=[[1.0, 1.0]]), "x must be an array of numbers"),
    (dict(x=np.ones((2, 2)), dout=np.ones((2, 2)), eps=0.0), "eps"),
    (dict(x=np.ones((2, 2)), dout=np.ones((2, 2)), numerical_step=-1), "numerical_step"),
])
def test_bad_input_is_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        batchnorm_graph(**kwargs)


def test_defaults_are_the_books_initial_gamma_and_beta():
    x, _, _, dout = example_batch()
    g = batchnorm_graph(x, dout)
    np.testing.assert_array_equal(g.nodes["gamma"].value, np.ones(3))
    np.testing.assert_array_equal(g.nodes["beta"].value, np.zeros(3))
    assert g.eps == BOOK_EPS == 1e-6


# -- the picture: what every renderer draws ---------------------------------------------------------
def test_picture_roles_and_text_at_every_stage():
    x, gamma, beta, dout = example_batch()
    g = batchnorm_graph(x, dout, gamma, beta)
    assert stage_count(g) == 11
    first = picture(g, 0)
    assert all(b.role == "plain" for b in first.values())
    assert [t for t, kind in first["out"].lines if kind == "grad"][1:] == format_matrix(dout, 6)
    for stage, step in enumerate(g.steps, start=1):
        boxes = picture(g, stage)
        assert boxes[step.node].role == "current"
        assert {k for k, b in boxes.items() if b.role == "target"} == {e.source for e in step.edges}
        headline, rows = step_text(g, stage)
        assert f"Step {stage} of 9" in headline
        assert format_matrix(step.upstream)[0] in rows[1]
    last = picture(g, 10)
    assert {k for k, b in last.items() if b.role == "result"} == {"x", "gamma", "beta"}
    headline, rows = step_text(g, 10)
    assert "equal the compiled kernel's result" in headline and "equal the numerical gradient" in headline
    with pytest.raises(ValueError, match="stage"):
        picture(g, 11)


@pytest.mark.parametrize("layout", ["wide", "tall"])
def test_placed_boxes_do_not_overlap_and_edges_touch_them(layout):
    x, gamma, beta, dout = example_batch(8, 4)
    g = batchnorm_graph(x, dout, gamma, beta)
    boxes = picture(g, 5)
    rects = place(boxes, lambda b: (8.0 * max(len(t) for t, _ in b.lines), 15.0 * len(b.lines)), 20, 20,
                  layout=layout)
    keys = list(rects)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            (l1, t1, w1, h1), (l2, t2, w2, h2) = rects[a], rects[b]
            assert l1 + w1 <= l2 or l2 + w2 <= l1 or t1 + h1 <= t2 or t2 + h2 <= t1, (a, b)
    for key, node in g.nodes.items():
        for source in node.inputs:
            points = route(rects, source, key, clearance=10, layout=layout)
            (sx, sy), (tx, ty) = points[0], points[-1]
            for (px, py), (left, top, w, h) in (((sx, sy), rects[source]), ((tx, ty), rects[key])):
                on_side = np.isclose(px, left) or np.isclose(px, left + w)
                on_edge = np.isclose(py, top) or np.isclose(py, top + h)
                assert (on_side and top <= py <= top + h) or (on_edge and left <= px <= left + w)
            if len(points) == 2:  # a straight edge crosses no other box
                for other, (left, top, w, h) in rects.items():
                    if other in (source, key):
                        continue
                    t = np.linspace(0, 1, 200)[:, None]
                    xy = np.add(points[0], t * np.subtract(points[1], points[0]))
                    inside = ((xy[:, 0] > left) & (xy[:, 0] < left + w) & (xy[:, 1] > top)
                              & (xy[:, 1] < top + h))
                    assert not inside.any(), (source, key, other)
    with pytest.raises(ValueError, match="layout"):
        place(boxes, lambda b: (1, 1), 1, 1, layout="round")


def test_format_matrix_keeps_small_and_large_values_readable():
    assert format_matrix(np.array([0.0, -1.25, 1234.5])) == ["   0.000    -1.250  1234.500"]
    assert format_matrix(np.array([[1e-7], [2e5]])) == ["1.0e-07", "2.0e+05"]


@pytest.mark.parametrize("shape, stage, layout", [((4, 3), 3, "tall"), ((8, 4), 10, "wide"),
                                                  ((2, 1), 0, "tall"), ((1, 4), 5, "wide")])
def test_figure_text_stays_inside_its_box(shape, stage, layout):
    pytest.importorskip("matplotlib")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import FancyBboxPatch

    from trainlab.explain.batchnorm_figure import draw_batchnorm_graph

    x, gamma, beta, dout = example_batch(*shape)
    x[0, 0] = 1234.5678  # a wide number
    fig = draw_batchnorm_graph(batchnorm_graph(x, dout, gamma, beta), stage, layout=layout)
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.axes[0]
    boxes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 12
    inside = 0
    for text in ax.texts:
        extent = text.get_window_extent(renderer)
        home = [b for b in boxes if b.x0 <= extent.x0 <= b.x1 and b.y0 <= extent.y0 <= b.y1]
        if home:  # a node's line: within its box
            inside += 1
            assert extent.x1 <= home[0].x1 and extent.y1 <= home[0].y1, text.get_text()
        else:     # the explanation: within the figure
            assert 0 <= extent.x0 and extent.x1 <= fig.bbox.x1, text.get_text()
    assert inside >= 12 * 2
