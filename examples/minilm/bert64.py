"""MiniLM-L6 (BERT) in float64 numpy, from the model's definition: the
independent reference that qc's compiled encoder (encoder.mlir) is checked
against. Same inputs and outputs as @encoder: token ids and an attention
mask (B x S) -> mean-pooled embeddings (B x 384)."""

import math

import numpy as np

HEADS, DH, LAYERS, EPS = 12, 32, 6, 1e-12

_erf = np.vectorize(math.erf)


def _ln(x, g, b):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * g + b


def encoder(tensors, ids, mask, grams=None):
    """With a dict `grams`, also adds to grams[NAME] the Gram matrix X^T X
    of each Linear layer's input X over the real (mask 1) tokens, NAME its
    module ("encoder.layer.0.attention.self.query"): calibration statistics
    for GPTQ."""
    t = {k: v.astype(np.float64) for k, v in tensors.items() if v.dtype == np.float32}
    real = mask.astype(bool)
    bsz, seq = ids.shape
    x = (t["embeddings.word_embeddings.weight"][ids]
         + t["embeddings.position_embeddings.weight"][:seq]
         + t["embeddings.token_type_embeddings.weight"][0])
    x = _ln(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    bias = (mask.astype(np.float64) - 1.0)[:, None, None, :] * 1e4
    for i in range(LAYERS):
        p = "encoder.layer.%d." % i

        def lin(a, name):
            if grams is not None:
                xs = a[real]
                grams[p + name] = grams.get(p + name, 0.0) + xs.T @ xs
            return a @ t[p + name + ".weight"].T + t[p + name + ".bias"]

        def split(a):
            return a.reshape(bsz, seq, HEADS, DH).transpose(0, 2, 1, 3)

        q = split(lin(x, "attention.self.query"))
        k = split(lin(x, "attention.self.key"))
        v = split(lin(x, "attention.self.value"))
        s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(DH) + bias
        s = np.exp(s - s.max(axis=-1, keepdims=True))
        prob = s / s.sum(axis=-1, keepdims=True)
        ctx = (prob @ v).transpose(0, 2, 1, 3).reshape(bsz, seq, HEADS * DH)
        x = _ln(x + lin(ctx, "attention.output.dense"),
                t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"])
        h = lin(x, "intermediate.dense")
        h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
        x = _ln(x + lin(h, "output.dense"),
                t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
    m = mask.astype(np.float64)[:, :, None]
    return (x * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
