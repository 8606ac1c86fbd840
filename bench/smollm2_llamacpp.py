#!/usr/bin/env python3
"""SmolLM2-135M: qc against llama.cpp on the same GGUF file, side by side in
one run: perplexity on the same tokens, prefill and decode tokens/s at 1 and
2 threads.

  .venv/bin/python bench/smollm2_llamacpp.py [--text FILE] [--threads 1,2] [--rounds 3]

qc runs examples/smollm2/smollm2.mlir (the file's Q4_1 weights as they are)
compiled by qc-cpu-pipeline, with f32 activations ("qc x f32") and with each
Linear layer's input rounded to int8 in blocks of 32 ("qc x int8", the
integer-dot kernels: llama.cpp's arithmetic); llama.cpp is PyPI's llama-cpp-python 0.3.16
(its llama.cpp tree built from the source distribution, GGML_NATIVE=ON:
install it with
  CMAKE_ARGS="-DGGML_NATIVE=ON" .venv/bin/pip install --no-deps \\
      llama-cpp-python==0.3.16 diskcache jinja2
). Both get the token ids of examples/smollm2/smollm2.py's tokenizer (the
file's BPE; llama.cpp's own tokenization is compared with it), both compute
the logits of every prefill token (logits_all), perplexity is computed the
same way from each one's logits. llama.cpp evaluates at most 31 tokens
per graph (n_ubatch; see LlamaCpp). Prefill is the whole text from an empty
cache; decode is one-token steps after it (median step). Rounds alternate
the tools; the table gives medians. Run on a quiet machine.
"""
import argparse
import concurrent.futures
import os
import statistics
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "examples", "smollm2"))
import smollm2  # noqa: E402


class LlamaCpp:
    """llama.cpp through llama-cpp-python. `ubatch`: the most tokens one
    graph evaluation takes (llama.cpp's n_ubatch): at 32 and above, this
    build's prefill takes its batched kernels (AMX on a CPU with AMX), which
    on this machine give wrong logits for Q4_1 (perplexity 157 instead of
    19.9 on the bundled text; see the issue 30 note), so the default is 31."""

    def __init__(self, path, threads, ubatch=31):
        import llama_cpp
        self.llm = llama_cpp.Llama(model_path=path, n_ctx=1024, n_batch=ubatch,
                                   n_ubatch=ubatch, n_threads=threads,
                                   n_threads_batch=threads, logits_all=True, verbose=False)

    def prefill(self, ids):
        self.llm.reset()
        self.llm.eval(ids)
        return np.array(self.llm.scores[:len(ids)])

    def step(self, tok):
        self.llm.eval([tok])


# llama.cpp runs on a thread of its own. ggml's AMX kernels configure the
# tile registers once per thread and assume the configuration stays;
# qc's AMX kernels (like all AMX code LLVM compiles, by the psABI, where
# tile state is not preserved across calls) load their own and release
# the tiles on return, so on a thread both use, ggml's next tile
# instruction faults (SIGILL). qc's calls stay on the main thread.
_LLAMA_THREAD = concurrent.futures.ThreadPoolExecutor(max_workers=1)


def on_llama_thread(fn):
    return _LLAMA_THREAD.submit(fn).result()


def median_time(fn, repeats):
    return smollm2.median_seconds(fn, repeats, warmup=False)


# Each tool's threads keep spinning a while after its last call (libomp's
# KMP_BLOCKTIME, 200 ms; ggml's polling threads): before timing the other
# tool, wait until they sleep, so that neither shares its cores with the
# other's idle threads.
SETTLE_SECONDS = 0.3


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--text", default=os.path.join(ROOT, "examples", "smollm2", "text.txt"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--decode-steps", type=int, default=16)
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "qc-smollm2"))
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    threads = [int(t) for t in args.threads.split(",")]
    path = smollm2.find_gguf()
    tok = smollm2.tokenizer(path)
    with open(args.text) as f:
        text = f.read().strip()
    ids = tok.encode(text).ids
    weights = smollm2.llama64.load(path)
    emb = weights["token_embd.weight"]
    qcms = {"qc x f32": smollm2.QCModel(smollm2.import_model(path, args.workdir), emb),
            "qc x int8": smollm2.QCModel(smollm2.import_model(path, args.workdir, True), emb)}
    del weights
    cpp = on_llama_thread(lambda: {t: LlamaCpp(path, t) for t in threads})
    cpp_ids = cpp[threads[0]].llm.tokenize(text.encode(), add_bos=False, special=False)

    ppl = {name: smollm2.perplexity(m(ids, m.empty_cache())[0], ids)
           for name, m in qcms.items()}
    ppl["llama.cpp"] = smollm2.perplexity(
        on_llama_thread(lambda: cpp[threads[0]].prefill(ids)), ids)

    def big_batches():
        big = LlamaCpp(path, threads[0], ubatch=512)
        return big.prefill(ids)
    ppl_big = smollm2.perplexity(on_llama_thread(big_batches), ids)

    times = {(tool, t, what): [] for tool in ppl for t in threads for what in ("pre", "dec")}
    for _ in range(args.rounds):
        for t in threads:
            smollm2.set_threads(t)
            for name, qcm in qcms.items():
                time.sleep(SETTLE_SECONDS)
                times[(name, t, "pre")].append(
                    median_time(lambda: qcm(ids, qcm.empty_cache()), 1))
                _, cache = qcm(ids, qcm.empty_cache())
                steps = []
                for _ in range(args.decode_steps):
                    start = time.perf_counter()
                    _, cache = qcm([ids[-1]], cache)
                    steps.append(time.perf_counter() - start)
                times[(name, t, "dec")].append(statistics.median(steps))
            def time_llama(c=cpp[t]):
                pre = median_time(lambda: c.prefill(ids), 1)
                c.prefill(ids)
                steps = []
                for _ in range(args.decode_steps):
                    start = time.perf_counter()
                    c.step(ids[-1])
                    steps.append(time.perf_counter() - start)
                return pre, statistics.median(steps)
            time.sleep(SETTLE_SECONDS)
            pre, dec = on_llama_thread(time_llama)
            times[("llama.cpp", t, "pre")].append(pre)
            times[("llama.cpp", t, "dec")].append(dec)

    print("SmolLM2-135M %s, %d tokens of %s (llama.cpp's own tokenization %s)"
          % (os.path.basename(path), len(ids), os.path.basename(args.text),
             "is the same" if list(cpp_ids) == list(ids) else
             "differs: %d tokens" % len(cpp_ids)))
    for name in qcms:
        print("perplexity: %s %.4f, llama.cpp %.4f (%+.3f%%)"
              % (name, ppl[name], ppl["llama.cpp"], 100 * (ppl[name] / ppl["llama.cpp"] - 1)))
    print("(llama.cpp with 512-token batches: %.4f)" % ppl_big)
    print("%-12s %8s %14s %14s %12s %12s" % ("tool", "threads", "prefill tok/s",
                                             "decode tok/s", "prefill x", "decode x"))
    for t in threads:
        base_pre = statistics.median(times[("llama.cpp", t, "pre")])
        base_dec = statistics.median(times[("llama.cpp", t, "dec")])
        for tool in list(qcms) + ["llama.cpp"]:
            pre = statistics.median(times[(tool, t, "pre")])
            dec = statistics.median(times[(tool, t, "dec")])
            print("%-12s %8d %14.1f %14.1f %12.2f %12.2f" % (
                tool, t, len(ids) / pre, 1 / dec, base_pre / pre, base_dec / dec))
    print("x: speed relative to llama.cpp at the same thread count (above 1: faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
