"""Writes the safetensors and .npy files of the qc-import tests: good ones
and each kind of bad one. Values are small closed forms, so that the tests
can check the blobs' bytes by hand."""

import json
import struct
import sys

import numpy as np


def safetensors(path, entries, data, header_len=None, raw_header=None):
    header = raw_header if raw_header is not None else json.dumps(entries).encode()
    n = len(header) if header_len is None else header_len
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", n) + header + data)


def main(out):
    # lin.weight = [[0, 1, 2, 3], [4, 5, 6, 7]] (f32), lin.bias = [0.5, -0.5]
    # (f16: 0x3800, 0xB800), emb = [[1, 2]] (bf16: 0x3F80, 0x4000).
    w = np.arange(8, dtype="<f4").tobytes()
    b = np.array([0.5, -0.5], dtype="<f2").tobytes()
    e = struct.pack("<HH", 0x3F80, 0x4000)
    good = {"__metadata__": {"format": "pt"},
            "lin.weight": {"dtype": "F32", "shape": [2, 4], "data_offsets": [0, 32]},
            "lin.bias": {"dtype": "F16", "shape": [2], "data_offsets": [32, 36]},
            "emb": {"dtype": "BF16", "shape": [1, 2], "data_offsets": [36, 40]}}
    safetensors(out + "/good.safetensors", good, w + b + e)
    safetensors(out + "/truncated.safetensors", good, (w + b + e)[:30])
    safetensors(out + "/short-header.safetensors", good, w, header_len=1 << 20)
    safetensors(out + "/not-json.safetensors", None, b"", raw_header=b"{\"a\": [1, 2")
    bad_dtype = {"x": {"dtype": "F8_E5M2", "shape": [2], "data_offsets": [0, 2]}}
    safetensors(out + "/bad-dtype.safetensors", bad_dtype, b"\0\0")
    bad_size = {"x": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}
    safetensors(out + "/bad-size.safetensors", bad_size, b"\0" * 8)
    with open(out + "/tiny.safetensors", "wb") as f:
        f.write(b"\1\2\3")
    np.save(out + "/arange.npy", np.arange(4, dtype=np.float32))
    np.save(out + "/fortran.npy", np.asfortranarray(np.ones((2, 3), np.float32)))
    np.save(out + "/complex.npy", np.ones(2, np.complex64))
    with open(out + "/arange.npy", "rb") as f:
        full = f.read()
    with open(out + "/arange-truncated.npy", "wb") as f:
        f.write(full[:-3])


if __name__ == "__main__":
    main(sys.argv[1])
