"""Text MLIR for the model generators (examples/minilm/encoder_mlir.py,
examples/smollm2/smollm2_mlir.py): a function body built line by line, with
a fresh SSA name per value."""


class Writer:
    def __init__(self):
        self.lines = []
        self.n = 0

    def fresh(self, stem):
        self.n += 1
        return "%%%s%d" % (stem, self.n)

    def emit(self, text):
        self.lines.extend("    " + line for line in text.strip("\n").split("\n"))

    def empty(self, shape, dynamic_sizes):
        """tensor.empty of tensor<SHAPE x f32> ("?x384"), its dynamic sizes
        given as SSA names."""
        v = self.fresh("e")
        self.emit("%s = tensor.empty(%s) : tensor<%sxf32>" % (v, ", ".join(dynamic_sizes), shape))
        return v

    def fill(self, value, shape, dynamic_sizes):
        """A tensor<SHAPE x f32> filled with `value` (an f32 literal)."""
        e = self.empty(shape, dynamic_sizes)
        c = self.fresh("c")
        f = self.fresh("f")
        self.emit("%s = arith.constant %s : f32\n"
                  "%s = linalg.fill ins(%s : f32) outs(%s : tensor<%sxf32>) -> tensor<%sxf32>"
                  % (c, value, f, c, e, shape, shape))
        return f
