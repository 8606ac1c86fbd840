"""The integer-dot kernels' row-lane form (AVX-512 VNNI: weights repacked
into tiles of 16 rows x 4 bytes, one row per i32 lane) against the
reference lowering, on N that take each of its steps: 4 vectors of 16 rows
per step for the GEMV (N a multiple of 64), whose 4 activation-row GEMM
then runs twice per step; 2 vectors (N a multiple of 32 only); one (N a
multiple of 16 only). M covers the GEMV rows alone (1), the GEMM's tiles of
4 alone (4, 64) and both (3, 5, 17). The weights are row-major 2- and 4-bit
codes that the pipeline's own repacking puts into the row-lane tiles.

On a host without AVX-512 VNNI the pipeline takes the other forms of the
integer-dot kernel and the test still checks them against the reference."""
import re
import zlib

import numpy as np
import pytest

import qc

from test_lut import _lowered, _program, check_against_reference


@pytest.fixture
def ctx():
    return qc.Context()


def _has_vnni512():
    flags = open("/proc/cpuinfo").read()
    return all(f in flags for f in ("avx512_vnni", "avx512bw"))


CASES = [
    # grid, N, K, weight group (0: per row), scale type, activation group
    ("s2", 64, 256, 128, "f16", 0),
    ("u2", 192, 256, 64, "f32", 0),
    ("s2", 96, 384, 64, "f16", 0),
    ("s2", 48, 256, 0, "f32", 0),
    ("s4", 128, 256, 32, "f16", 0),
    ("u4", 320, 128, 0, "f32", 0),
    ("s4", 80, 256, 64, "f32", 32),
    ("s2", 128, 512, 128, "f16", 64),
]


@pytest.mark.parametrize("grid,n,k,group,st,act", CASES)
def test_row_lane_kernel_matches_the_reference(ctx, grid, n, k, group, st,
                                               act):
    rng = np.random.default_rng(
        zlib.crc32(repr((grid, n, k, group, st, act)).encode()))
    text = _program(grid, n, k, group, st, rng, lut_layout=False,
                    act_group=act)
    lowered = _lowered(ctx, text)
    if _has_vnni512():
        # The integer-dot kernel in its row-lane form (not the LUT one).
        specs = re.findall(r"qc\.kernel_spec = \{[^}]*\}", lowered)
        dots = [s for s in specs if 'family = "cpu.int_dot"' in s]
        assert len(dots) == 1 and "row_lanes = true" in dots[0], specs
    check_against_reference(ctx, text, "qc-cpu-pipeline", rng, k, n,
                            (1, 3, 4, 5, 17, 64))
