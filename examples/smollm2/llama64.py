"""SmolLM2 (Llama architecture, GGUF semantics) in float64 numpy: the
independent reference for smollm2.mlir, on the GGUF file's weights
dequantized by gguf-py (gguf.quants.dequantize)."""

import numpy as np

LAYERS, HEADS, KV, HD, EPS, THETA = 30, 9, 3, 64, 1e-5, 100000.0


def load(path):
    """{name: float64 array} of every tensor (N x K for matrices)."""
    import gguf
    reader = gguf.GGUFReader(path)
    out = {}
    for t in reader.tensors:
        values = gguf.quants.dequantize(t.data, t.tensor_type)
        out[t.name] = np.asarray(values, dtype=np.float64).reshape(
            tuple(int(d) for d in reversed(t.shape)))
    return out


def _rms(x, w):
    return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + EPS) * w


def _rope(x, pos):
    """Adjacent pairs (2i, 2i+1) of each head rotated by pos * theta^(-2i/64);
    x is T x H x 64."""
    i = np.arange(HD // 2)
    ang = pos[:, None] * THETA ** (-2.0 * i / HD)
    c, s = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = x0 * c - x1 * s
    out[..., 1::2] = x0 * s + x1 * c
    return out


def quantize_rows(x):
    """x with each block of 32 along its rows rounded to int8 codes as
    NUMERICS.md defines them (absmax / 127 in f32, round half to even): the
    activations of smollm2_mlir.py's INT8_ACTIVATIONS variant."""
    x32 = x.astype(np.float32)
    blocks = x32.reshape(x.shape[0], -1, 32)
    s = (np.abs(blocks).max(axis=2, keepdims=True) / np.float32(127)).astype(np.float32)
    q = np.clip(np.rint(blocks / np.where(s == 0, np.float32(1), s)), -128, 127)
    return (q.astype(np.float64) * s.astype(np.float64)).reshape(x.shape)


def forward(w, ids, cache=None, int8_activations=False):
    """Logits (T x vocab) of the T tokens `ids` after the cached ones, and
    the grown cache (a list of (keys, values) per layer, each KV x L x 64).
    With `int8_activations`, every Linear layer's input (the output
    layer's included) is rounded by quantize_rows first."""
    a8 = quantize_rows if int8_activations else (lambda v: v)
    p = 0 if cache is None else cache[0][0].shape[1]
    t = len(ids)
    x = w["token_embd.weight"][ids]
    pos = np.arange(p, p + t, dtype=np.float64)
    new_cache = []
    causal = np.arange(p + t)[None, :] > (p + np.arange(t))[:, None]
    for layer in range(LAYERS):
        b = "blk.%d." % layer
        h = _rms(x, w[b + "attn_norm.weight"])
        ha = a8(h)
        q = _rope((ha @ w[b + "attn_q.weight"].T).reshape(t, HEADS, HD), pos)
        k = _rope((ha @ w[b + "attn_k.weight"].T).reshape(t, KV, HD), pos)
        v = (ha @ w[b + "attn_v.weight"].T).reshape(t, KV, HD)
        keys, values = k.transpose(1, 0, 2), v.transpose(1, 0, 2)
        if cache is not None:
            keys = np.concatenate([cache[layer][0], keys], axis=1)
            values = np.concatenate([cache[layer][1], values], axis=1)
        new_cache.append((keys, values))
        ctx = np.empty((t, HEADS, HD))
        for head in range(HEADS):
            a = head // (HEADS // KV)
            s = q[:, head, :] @ keys[a].T / np.sqrt(HD)
            s[causal] = -np.inf
            s = np.exp(s - s.max(axis=1, keepdims=True))
            ctx[:, head, :] = (s / s.sum(axis=1, keepdims=True)) @ values[a]
        x = x + a8(ctx.reshape(t, HEADS * HD)) @ w[b + "attn_output.weight"].T
        h = _rms(x, w[b + "ffn_norm.weight"])
        ha = a8(h)
        g = ha @ w[b + "ffn_gate.weight"].T
        u = ha @ w[b + "ffn_up.weight"].T
        x = x + a8(g / (1.0 + np.exp(-g)) * u) @ w[b + "ffn_down.weight"].T
    h = _rms(x, w["output_norm.weight"])
    return a8(h) @ w["token_embd.weight"].T, new_cache
