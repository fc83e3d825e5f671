"""Downloads against an HTTP server started on 127.0.0.1, and the offline fallbacks."""

from __future__ import annotations

import dataclasses
import hashlib
import http.server
import re
import socket
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from trainlab import datasets
from trainlab.datasets import (
    DatasetUnavailableError,
    fetch,
    load_mnist,
    loaders,
    locate,
    write_idx,
)
from trainlab.datasets.fetch import Resource


@pytest.fixture
def env(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "xdg-data"))
    for var in ("TRAINLAB_DATA", "TRAINLAB_OFFLINE", "TRAINLAB_MNIST_MIRRORS",
                "TRAINLAB_FASHION_MNIST_MIRRORS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(locate, "SYSTEM_DATA_DIRS", (str(tmp_path / "system"),))
    return tmp_path


# A mirror that trickles: each read gets a byte well within any per-read timeout, so only an
# overall deadline ends the transfer. The server gives up after TRICKLE_FOR seconds (the test
# stays bounded even when the client has no deadline).
TRICKLE_PAUSE = 0.2
TRICKLE_FOR = 8.0


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802
        route = self.server.routes.get(self.path)
        self.server.hits.append(self.path)
        if route is None:
            self.send_error(404)
            return
        body, mode = route
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if mode == "ok":
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif mode == "cut":  # full Content-Length, then the server closes mid-body
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif mode == "short-length":  # a Content-Length smaller than the file
            self.send_header("Content-Length", str(len(body) // 2))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
        elif mode == "no-length-cut":  # no Content-Length, connection closed early
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif mode == "trickle":  # one byte every TRICKLE_PAUSE s, then give up after TRICKLE_FOR s
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            end = time.monotonic() + TRICKLE_FOR
            try:
                for byte in body:
                    if time.monotonic() > end:
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(TRICKLE_PAUSE)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should
            self.close_connection = True
        self.wfile.flush()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.routes, srv.hits = {}, []
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}"
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


@pytest.fixture
def fake_mnist(tmp_path, monkeypatch):
    """Generated IDX .gz files, and DATASETS['mnist'] pointing at their digests."""
    rng = np.random.default_rng(7)
    arrays = {
        "train_images": rng.integers(0, 256, (30, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, 30).astype(np.uint8),
        "test_images": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, 10).astype(np.uint8),
    }
    src = tmp_path / "generated"
    src.mkdir()
    blobs, resources = {}, {}
    for role, arr in arrays.items():
        name = locate.idx_file_names(role)[0]
        write_idx(src / name, arr)
        blobs[name] = (src / name).read_bytes()
        resources[role] = Resource(name, "sha256:" + hashlib.sha256(blobs[name]).hexdigest(),
                                   len(blobs[name]))
    info = dataclasses.replace(loaders.DATASETS["mnist"], resources=resources,
                               mirrors=("http://127.0.0.1:9/unused/",))
    monkeypatch.setitem(loaders.DATASETS, "mnist", info)
    return arrays, blobs


def serve(server, blobs, prefix="/m/", mode="ok", only=None):
    for name, body in blobs.items():
        server.routes[prefix + name] = (body, mode if only in (None, name) else "ok")
    return server.url + prefix


def leftovers(folder: Path):
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


def test_download_success_into_user_cache(env, server, fake_mnist):
    arrays, blobs = fake_mnist
    base = serve(server, blobs)
    (x, t), (xt, tt) = load_mnist(normalize=False, flatten=False, mirrors=[base], progress=False)
    np.testing.assert_array_equal(x[:, 0], arrays["train_images"])
    np.testing.assert_array_equal(tt, arrays["test_labels"])
    dest = env / "xdg-cache" / "trainlab" / "mnist"
    for name, body in blobs.items():
        assert (dest / name).read_bytes() == body
    assert not [n for n in leftovers(dest) if n.endswith(".part")]
    # Second call: no network needed at all.
    server.hits.clear()
    load_mnist(mirrors=[base], progress=False)
    assert server.hits == []


def test_mirror_env_var_and_fallback_to_second_mirror(env, server, fake_mnist, monkeypatch):
    arrays, blobs = fake_mnist
    good = serve(server, blobs, prefix="/good/")
    monkeypatch.setenv("TRAINLAB_MNIST_MIRRORS", f"{server.url}/missing/, {good}")
    root = env / "my-root"
    (x, t), _ = load_mnist(root=root, progress=False)
    assert x.shape == (30, 784)
    assert sorted(p.name for p in root.iterdir()) == sorted(blobs)  # downloaded into root=
    assert any(h.startswith("/missing/") for h in server.hits)


def test_checksum_mismatch_rejected(env, server, fake_mnist):
    arrays, blobs = fake_mnist
    tampered = dict(blobs)
    name = "t10k-images-idx3-ubyte.gz"
    body = bytearray(blobs[name])
    body[len(body) // 2] ^= 0x55  # same size, different content
    tampered[name] = bytes(body)
    base = serve(server, tampered)
    with pytest.raises(DatasetUnavailableError, match="SHA256 mismatch") as e:
        load_mnist(mirrors=[base], progress=False)
    dest = env / "xdg-cache" / "trainlab" / "mnist"
    assert name not in leftovers(dest)
    assert not [n for n in leftovers(dest) if n.endswith(".part")]
    assert name in str(e.value)


@pytest.mark.parametrize("mode, message", [
    ("cut", "interrupted: received"),
    ("short-length", "server announces"),
    ("no-length-cut", "interrupted: received"),
])
def test_interrupted_transfer_leaves_nothing(env, server, fake_mnist, mode, message):
    arrays, blobs = fake_mnist
    name = "train-images-idx3-ubyte.gz"
    base = serve(server, blobs, mode=mode, only=name)
    with pytest.raises(DatasetUnavailableError, match=message):
        load_mnist(mirrors=[base], progress=False)
    dest = env / "xdg-cache" / "trainlab" / "mnist"
    assert name not in leftovers(dest)
    assert not [n for n in leftovers(dest) if n.endswith(".part")]


def test_ctrl_c_mid_transfer_removes_temp_file(tmp_path):
    class Resp:
        headers = {"Content-Length": "1000"}
        calls = 0

        def read(self, n):
            Resp.calls += 1
            if Resp.calls > 2:
                raise KeyboardInterrupt
            return b"x" * 100

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    res = Resource("f.gz", "sha256:" + "0" * 64, 1000)
    with pytest.raises(KeyboardInterrupt):
        fetch.download_file("http://x/f.gz", tmp_path / "f.gz", res, progress=False,
                            opener=lambda req, timeout: Resp())
    assert list(tmp_path.iterdir()) == []


def test_md5_digest_supported(tmp_path, server):
    body = b"hello world"
    server.routes["/h.bin"] = (body, "ok")
    res = Resource("h.bin", "md5:" + hashlib.md5(body).hexdigest(), len(body))
    out = fetch.download_file(server.url + "/h.bin", tmp_path / "h.bin", res, progress=False)
    assert out.read_bytes() == body


def test_progress_reported_on_stderr(env, server, fake_mnist, capsys):
    arrays, blobs = fake_mnist
    load_mnist(mirrors=[serve(server, blobs)], progress=True)
    err = capsys.readouterr().err
    assert "train-images-idx3-ubyte.gz" in err


def _closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


def test_offline_error_says_how_to_supply_files(env, fake_mnist):
    with pytest.raises(DatasetUnavailableError) as e:
        load_mnist(mirrors=[_closed_port_url()], progress=False)
    msg = str(e.value)
    assert "MNIST is not available" in msg and "the download failed" in msg
    for needle in ("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "root=",
                   "TRAINLAB_DATA", "TRAINLAB_MNIST_MIRRORS",
                   str(env / "xdg-cache" / "trainlab" / "mnist")):
        assert needle in msg
    assert isinstance(e.value, RuntimeError)
    assert leftovers(env / "xdg-cache" / "trainlab" / "mnist") == []


def test_download_disabled(env, fake_mnist, monkeypatch, server):
    arrays, blobs = fake_mnist
    base = serve(server, blobs)
    with pytest.raises(DatasetUnavailableError, match=r"download=False"):
        load_mnist(download=False, mirrors=[base])
    monkeypatch.setenv("TRAINLAB_OFFLINE", "1")
    with pytest.raises(DatasetUnavailableError, match=r"TRAINLAB_OFFLINE"):
        load_mnist(mirrors=[base])
    assert server.hits == []


def test_default_dataset_falls_back(env, fake_mnist, monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINLAB_MNIST_MIRRORS", _closed_port_url())
    monkeypatch.setenv("TRAINLAB_FASHION_MNIST_MIRRORS", _closed_port_url())
    choice = datasets.load_default_dataset(progress=False)
    assert choice.name == "sample"
    assert "MNIST is not available" in choice.message
    assert "Fashion-MNIST is not available" in choice.message
    assert "using the embedded Fashion-MNIST sample" in choice.message
    assert choice.data[0][0].shape == (6000, 784)

    # Fashion-MNIST present in a system folder: preferred over the sample.
    folder = tmp_path / "system" / "fashion-mnist"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for role in locate.ROLES:
        n = 20 if role.startswith("train") else 5
        arr = (rng.integers(0, 256, (n, 28, 28)) if role.endswith("images")
               else rng.integers(0, 10, n)).astype(np.uint8)
        write_idx(folder / locate.idx_file_names(role)[0], arr)
    choice = datasets.best_available(progress=False)
    assert choice.name == "fashion-mnist"
    assert re.search(r"^MNIST is not available \(no local copy; download failed: .*\); "
                     r"using Fashion-MNIST from .*system/fashion-mnist instead\.$",
                     choice.message)


def test_default_dataset_no_fallback_message(env, server, fake_mnist):
    arrays, blobs = fake_mnist
    serve(server, blobs)
    datasets.load_mnist(mirrors=[server.url + "/m/"], progress=False)  # now cached locally
    choice = datasets.load_default_dataset(download=False)
    assert choice.name == "mnist" and choice.message.startswith("Using MNIST")


def test_published_digests_look_right():
    for info in datasets.DATASETS.values():
        assert set(info.resources) == set(locate.ROLES)
        for role, res in info.resources.items():
            algo, hexd = res.algorithm()
            assert algo == "sha256" and re.fullmatch(r"[0-9a-f]{64}", hexd)
            assert res.filename == locate.idx_file_names(role)[0] and res.size > 1000
        assert all(m.startswith(("https://", "http://")) and m.endswith("/") for m in info.mirrors)


def test_trickling_mirror_is_cut_off_by_the_deadline_then_the_next_mirror_serves(
        env, server, fake_mnist, monkeypatch):
    arrays, blobs = fake_mnist
    name = "train-images-idx3-ubyte.gz"
    slow = serve(server, {name: blobs[name]}, prefix="/slow/", mode="trickle")
    good = serve(server, blobs, prefix="/good/")
    monkeypatch.setenv("TRAINLAB_DOWNLOAD_DEADLINE", "1.0")
    start = time.monotonic()
    (x, t), _ = load_mnist(normalize=False, mirrors=[slow, good], progress=False)
    elapsed = time.monotonic() - start
    assert elapsed < TRICKLE_FOR / 2  # the deadline, not the trickling server, ended the transfer
    np.testing.assert_array_equal(x.reshape(-1, 28, 28), arrays["train_images"])
    assert "/slow/" + name in server.hits and "/good/" + name in server.hits
    dest = env / "xdg-cache" / "trainlab" / "mnist"
    assert not [n for n in leftovers(dest) if n.endswith(".part")]


def test_deadline_error_names_the_url_and_leaves_no_part_file(tmp_path, server):
    body = bytes(range(256)) * 4
    server.routes["/slow.bin"] = (body, "trickle")
    res = Resource("slow.bin", "sha256:" + hashlib.sha256(body).hexdigest(), len(body))
    start = time.monotonic()
    with pytest.raises(fetch.DownloadError, match=r"/slow\.bin: no complete download within the "
                                                   r"0\.6 s deadline \(\d+ of 1024 bytes\)"):
        fetch.download_file(server.url + "/slow.bin", tmp_path / "slow.bin", res, progress=False,
                            deadline=0.6)
    assert time.monotonic() - start < TRICKLE_FOR / 2
    assert list(tmp_path.iterdir()) == []


def test_stalled_transfer_is_given_up_after_timeout(tmp_path, server):
    body = bytes(4096)
    server.routes["/stall.bin"] = (body, "trickle")
    res = Resource("stall.bin", "sha256:" + hashlib.sha256(body).hexdigest(), len(body))
    with pytest.raises(fetch.DownloadError, match=r"stalled: \d+ bytes in the last 0\.8 s"):
        fetch.download_file(server.url + "/stall.bin", tmp_path / "stall.bin", res, progress=False,
                            timeout=0.8, deadline=60)
    assert list(tmp_path.iterdir()) == []


def test_deadline_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRAINLAB_DOWNLOAD_DEADLINE", "42.5")
    assert fetch.download_deadline() == 42.5
    monkeypatch.delenv("TRAINLAB_DOWNLOAD_DEADLINE")
    assert fetch.download_deadline() == fetch.DEFAULT_DEADLINE
    for bad in ("soon", "0", "-3", "nan"):
        monkeypatch.setenv("TRAINLAB_DOWNLOAD_DEADLINE", bad)
        with pytest.raises(ValueError, match="TRAINLAB_DOWNLOAD_DEADLINE"):
            fetch.download_deadline()


def test_part_file_of_a_killed_download_is_removed_by_the_next(env, server, fake_mnist):
    arrays, blobs = fake_mnist
    dest = env / "xdg-cache" / "trainlab" / "mnist"
    dest.mkdir(parents=True)
    stale = dest / ".train-images-idx3-ubyte.gz.x7k2m9.part"  # what kill -9 mid-download leaves
    stale.write_bytes(b"\x1f\x8b half")
    load_mnist(mirrors=[serve(server, blobs)], progress=False)
    assert not [n for n in leftovers(dest) if n.endswith(".part")]


def test_default_dataset_falls_back_past_trickling_mirrors(env, server, fake_mnist, monkeypatch):
    arrays, blobs = fake_mnist
    monkeypatch.setenv("TRAINLAB_MNIST_MIRRORS", serve(server, blobs, prefix="/m/", mode="trickle"))
    monkeypatch.setenv("TRAINLAB_FASHION_MNIST_MIRRORS", serve(server, blobs, prefix="/f/", mode="trickle"))
    start = time.monotonic()
    choice = datasets.load_default_dataset(progress=False, deadline=0.8)
    assert time.monotonic() - start < TRICKLE_FOR / 2
    assert choice.name == "sample"
    assert "0.8 s deadline" in choice.message
