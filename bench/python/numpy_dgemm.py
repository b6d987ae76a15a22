"""dgemm GFLOP/s of numpy's BLAS (OpenBLAS in the usual wheels) for the shapes
given as MxNxK arguments. Threads come from OPENBLAS_NUM_THREADS, set by the
caller. Prints one JSON object."""
import json
import sys
import time

import numpy as np


def rate(m, n, k):
    rng = np.random.default_rng(1)
    a = rng.random((m, k))
    b = rng.random((k, n))
    a @ b
    times = []
    spent = 0.0
    while len(times) < 5 or spent < 0.5:
        start = time.perf_counter()
        a @ b
        t = time.perf_counter() - start
        times.append(t)
        spent += t
    times.sort()
    return 2.0 * m * n * k / times[len(times) // 2] / 1e9


blas = 'unknown'
try:
    info = np.show_config(mode='dicts')
    blas = info['Build Dependencies']['blas']['name']
except Exception:
    pass
shapes = [tuple(int(x) for x in s.split('x')) for s in sys.argv[1:]]
print(json.dumps({'numpy': np.__version__, 'blas': blas,
                  'gflops': {f'{m}x{n}x{k}': rate(m, n, k) for m, n, k in shapes}}))
