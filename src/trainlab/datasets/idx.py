"""Reader for the IDX file format of MNIST and Fashion-MNIST.

An IDX file is a 4-byte magic number ``00 00 TT NN`` (``TT`` the element type code,
``NN`` the number of dimensions), ``NN`` big-endian uint32 sizes, then the elements in
C order, big-endian.  Files may be gzip-compressed (detected from the content, not from
the file name).

The header is never trusted: memory is only filled with bytes that actually arrive, and a
payload shorter (truncated) or longer (trailing bytes) than the header promises, an unknown
magic number or type code, a corrupt gzip stream, or an unexpected type / number of
dimensions all raise :class:`ValueError` whose message names the file and the problem.

Gzip bombs: the header is read first and nothing beyond the data it announces is inflated (one
byte more shows that a file is oversized). A header announcing more than 64 MiB of data at more
than ``max_ratio`` (100) times the compressed file's size is refused before anything else is
inflated: real images compress 2 to 5 times (MNIST 4.7, Fashion-MNIST 1.8), while blank data
reaches deflate's limit of about 1030 times, so 229 KB could otherwise fill 236 MB (and four
times that as float32).
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from typing import IO, Union

import numpy as np

__all__ = ["IDX_DTYPES", "read_idx", "write_idx"]

PathLike = Union[str, "os.PathLike[str]"]

#: IDX type code -> NumPy dtype as stored in the file (big-endian).
IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODE_OF = {dt.newbyteorder("="): code for code, dt in IDX_DTYPES.items()}
_CHUNK = 1 << 20
#: Default ceiling on the payload size a header may announce (4 GiB).
DEFAULT_MAX_BYTES = 1 << 32
#: Default ceiling on (announced payload) / (gzip file size) for payloads above RATIO_FLOOR.
DEFAULT_MAX_RATIO = 100.0
RATIO_FLOOR = 64 << 20


def _describe(code: int) -> str:
    dt = IDX_DTYPES.get(code)
    return f"0x{code:02x} ({dt.newbyteorder('=').name})" if dt is not None else f"0x{code:02x}"


def _read_upto(f: IO[bytes], n: int) -> bytearray:
    """Read at most ``n`` bytes, growing the buffer only as data arrives."""
    buf = bytearray()
    while len(buf) < n:
        chunk = f.read(min(_CHUNK, n - len(buf)))
        if not chunk:
            break
        buf += chunk
    return buf


def read_idx(
    path: PathLike,
    *,
    dtype: np.typing.DTypeLike | None = None,
    ndim: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_ratio: float | None = DEFAULT_MAX_RATIO,
) -> np.ndarray:
    """Read an IDX file (raw or gzip) into a native-endian NumPy array.

    Parameters
    ----------
    path:
        The file.  Gzip compression is recognised from the first two bytes.
    dtype, ndim:
        When given, the element type / number of dimensions the header must announce;
        checked before any data is read.
    max_bytes:
        Refuse headers that announce a larger payload than this.
    max_ratio:
        Refuse a gzip file whose header announces more than 64 MiB of data and more than
        ``max_ratio`` times the file's size (a likely gzip bomb); ``None`` accepts any ratio.

    Raises
    ------
    ValueError
        The file is not a well-formed IDX file of the expected kind; the message starts
        with the file name.
    OSError
        The file cannot be opened.
    """
    name = os.fspath(path)
    try:
        with open(name, "rb") as raw:
            head = raw.read(2)
            raw.seek(0)
            if head == b"\x1f\x8b":
                compressed = os.fstat(raw.fileno()).st_size
                with gzip.GzipFile(fileobj=raw, mode="rb") as f:
                    return _parse(f, name, dtype, ndim, max_bytes, compressed, max_ratio)
            return _parse(raw, name, dtype, ndim, max_bytes)
    except EOFError as exc:
        raise ValueError(f"{name}: truncated gzip stream ({exc})") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(f"{name}: corrupt gzip data ({exc})") from exc


def _parse(f: IO[bytes], name: str, want_dtype, want_ndim, max_bytes: int,
           compressed: int | None = None, max_ratio: float | None = None) -> np.ndarray:
    """``compressed``: the size of the gzip file ``f`` inflates, None for an uncompressed one."""
    magic = _read_upto(f, 4)
    if len(magic) < 4:
        raise ValueError(f"{name}: truncated IDX header ({len(magic)} of 4 magic bytes)")
    if magic[0] != 0 or magic[1] != 0:
        raise ValueError(
            f"{name}: not an IDX file (magic number 0x{bytes(magic).hex()}, "
            "expected 0x0000TTNN)"
        )
    code, nd = magic[2], magic[3]
    if code not in IDX_DTYPES:
        raise ValueError(f"{name}: unknown IDX data type code 0x{code:02x}")
    if want_dtype is not None:
        want = np.dtype(want_dtype).newbyteorder("=")
        want_code = _CODE_OF.get(want)
        if want_code != code:
            exp = _describe(want_code) if want_code is not None else want.name
            raise ValueError(f"{name}: wrong data type {_describe(code)}, expected {exp}")
    if nd == 0:
        raise ValueError(f"{name}: IDX header announces 0 dimensions")
    if want_ndim is not None and nd != want_ndim:
        raise ValueError(f"{name}: wrong number of dimensions {nd}, expected {want_ndim}")
    raw_dims = _read_upto(f, 4 * nd)
    if len(raw_dims) < 4 * nd:
        raise ValueError(
            f"{name}: truncated IDX header ({len(raw_dims)} of {4 * nd} bytes of sizes)"
        )
    dims = struct.unpack(f">{nd}I", raw_dims)
    dt = IDX_DTYPES[code]
    nbytes = dt.itemsize * math.prod(dims)
    shape_txt = "x".join(map(str, dims))
    if nbytes > max_bytes:
        raise ValueError(
            f"{name}: header announces {shape_txt} elements ({nbytes} bytes), "
            f"more than the limit of {max_bytes} bytes"
        )
    if compressed is not None and max_ratio is not None and nbytes > RATIO_FLOOR:
        ratio = (4 + 4 * nd + nbytes) / max(compressed, 1)
        if ratio > max_ratio:
            raise ValueError(
                f"{name}: the header announces {shape_txt} elements ({nbytes} bytes) from "
                f"{compressed} bytes of gzip data, a ratio of {ratio:.0f}:1 (image data compresses "
                f"less than {max_ratio:g}:1); refusing a likely gzip bomb "
                "(read_idx(..., max_ratio=None) reads it anyway)"
            )
    data = _read_upto(f, nbytes)
    if len(data) < nbytes:
        raise ValueError(
            f"{name}: truncated: the header announces {shape_txt} elements "
            f"({nbytes} bytes of data) but only {len(data)} bytes follow"
        )
    if _read_upto(f, 1):  # one byte: whatever follows is never inflated
        if compressed is not None:
            raise ValueError(
                f"{name}: oversized: more data follows the {nbytes} bytes of data announced "
                f"by the header ({shape_txt})"
            )
        extra = 1 + os.fstat(f.fileno()).st_size - f.tell()
        raise ValueError(
            f"{name}: oversized: {extra} unexpected bytes after the "
            f"{nbytes} bytes of data announced by the header ({shape_txt})"
        )
    arr = np.frombuffer(data, dtype=dt).reshape(dims)  # writable: data is a bytearray
    if dt.itemsize > 1 and not dt.isnative:
        arr = arr.astype(dt.newbyteorder("="))
    return arr


def write_idx(path: PathLike, array: np.ndarray, *, compress: bool | None = None) -> None:
    """Write ``array`` as an IDX file (gzip-compressed if ``compress`` or the name ends in .gz).

    Mainly for tests and for converting other data to the MNIST layout.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write.
    array : numpy.ndarray
        uint8, int8, int16, int32, float32 or float64 data with 1 to 255 dimensions.
    compress : bool, optional
        Force gzip on or off; by default from the ``.gz`` suffix.

    Raises
    ------
    ValueError
        A dtype IDX cannot store or a wrong number of dimensions.
    """
    arr = np.asarray(array)
    code = _CODE_OF.get(arr.dtype.newbyteorder("="))
    if code is None:
        raise ValueError(f"dtype {arr.dtype} cannot be stored in an IDX file")
    if arr.ndim == 0 or arr.ndim > 255:
        raise ValueError("IDX arrays need 1 to 255 dimensions")
    payload = (
        struct.pack(">BBBB", 0, 0, code, arr.ndim)
        + struct.pack(f">{arr.ndim}I", *arr.shape)
        + np.ascontiguousarray(arr, dtype=IDX_DTYPES[code]).tobytes()
    )
    name = os.fspath(path)
    if compress is None:
        compress = name.endswith(".gz")
    if compress:
        payload = gzip.compress(payload, mtime=0)
    with open(name, "wb") as out:
        out.write(payload)
