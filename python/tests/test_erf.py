"""erf and GELU on vectors of f32 (qc-cpu-vectorize-linalg's rational erf,
through qc-cpu-pipeline) against float64's math.erf: at most 8 ulp and
5e-7 absolute on a dense sweep of [-6, 6], on magnitudes from 1e-30 to 5,
on both sides of the clamp at 4, and on odd sizes (the masked tail);
erf(+-inf) = +-1, NaN stays NaN. The reference pipeline (libm's erff per
element) is held to the same bound, so the test also fails if it drifts."""
import math

import numpy as np
import pytest

import qc

ERF = """
func.func @erf(%x: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %e = tensor.empty(%n) : tensor<?xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
      iterator_types = ["parallel"]} ins(%x : tensor<?xf32>) outs(%e : tensor<?xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = math.erf %a : f32
    linalg.yield %r : f32
  } -> tensor<?xf32>
  return %y : tensor<?xf32>
}
"""


@pytest.fixture(scope="module", params=["qc-cpu-pipeline", "qc-reference-pipeline"])
def erf(request):
    return qc.compile(qc.Module.parse(qc.Context(), ERF), request.param).erf


def inputs():
    sweep = np.linspace(-6, 6, 240001, dtype=np.float32)
    tiny = (10.0 ** np.linspace(-30, 0.7, 6001)).astype(np.float32)
    clamp = np.nextafter(np.float32(4), np.float32([0, 8])).astype(np.float32)
    x = np.concatenate([sweep, tiny, -tiny, clamp, -clamp, np.float32([0, 4, -4])])
    return x.astype(np.float32)


def reference(x):
    return np.array([math.erf(float(v)) for v in x])


def test_erf_within_8_ulp_of_float64(erf):
    x = inputs()
    got = erf(x).astype(np.float64)
    want = reference(x)
    err = np.abs(got - want)
    ulp = np.spacing(np.abs(want).astype(np.float32)).astype(np.float64)
    assert err.max() <= 5e-7, "max abs error %g at x=%r" % (err.max(), x[err.argmax()])
    worst = (err / ulp).max()
    assert worst <= 8, "max error %.1f ulp at x=%r" % (worst, x[(err / ulp).argmax()])


@pytest.mark.parametrize("n", [1, 7, 15, 17, 63, 65, 1001])
def test_odd_sizes(erf, n):
    x = np.random.default_rng(n).uniform(-5, 5, n).astype(np.float32)
    np.testing.assert_allclose(erf(x), reference(x), rtol=0, atol=5e-7)


def test_special_values(erf):
    got = erf(np.float32([np.inf, -np.inf, np.nan, 0.0, 1e-30]))
    assert got[0] == 1.0 and got[1] == -1.0
    assert np.isnan(got[2])
    assert got[3] == 0.0
    assert abs(got[4] / (2 / math.sqrt(math.pi) * 1e-30) - 1) <= 1e-6
