"""Writes the GGUF seeds of the fuzz corpus (test/Fuzz/regressions/*.gguf):
a small valid file with every block format qc-import reads, and damaged
copies of it (cut short, an unknown type, a misaligned offset, a count the
file cannot hold). qc-fuzz-replay runs them through the GGUF reader and
decoders; scripts/fuzz.sh starts from them. Run with the venv's python
(needs the PyPI `gguf` package)."""

import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "regressions")
rng = np.random.default_rng(0)
path = os.path.join(out, "gguf-valid.gguf")
w = gguf.GGUFWriter(path, "llama")
w.add_block_count(1)
w.add_rope_freq_base(10000.0)
w.add_token_list(["a", "b", "c"])
for q in [T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0, T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K]:
    block, size = gguf.GGML_QUANT_SIZES[q]
    raw = rng.integers(0, 256, size=(1, 256 // block * size), dtype=np.uint8)
    w.add_tensor(f"t.{q.name.lower()}", raw, raw_dtype=q)
w.add_tensor("t.f32", np.ones((2, 4), np.float32))
w.add_tensor("t.f16", np.ones((2, 4), np.float16))
w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
data = open(path, "rb").read()


def save(name, blob):
    with open(os.path.join(out, name), "wb") as f:
        f.write(blob)


save("gguf-truncated.gguf", data[: len(data) // 2])
at = data.index(b"t.q4_0") + len(b"t.q4_0") + 4 + 16  # the type after ne[2]
save("gguf-unknown-type.gguf", data[:at] + (77).to_bytes(4, "little") + data[at + 4:])
save("gguf-huge-count.gguf", data[:8] + (1 << 62).to_bytes(8, "little") + data[16:])
off = at + 4
save("gguf-misaligned.gguf", data[:off] + (int.from_bytes(data[off:off + 8], "little") + 3).to_bytes(8, "little") + data[off + 8:])
