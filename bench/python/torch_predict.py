"""PyTorch float64 inference under torch.no_grad(), as a server runs it:
the latency of one row (median and 99th percentile over many calls) and the
rows per second of 1,024-row calls. Usage: torch_predict.py SIZES THREADS
[ROWS] (SIZES like 784-128-10). With ROWS (like 1,2,4,8), the latency of
calls of each of those row counts instead (bench/predict-latency.js). Prints
one JSON object."""
import json
import sys
import time

import torch

from blas_info import blas_libraries

sizes = [int(x) for x in sys.argv[1].split('-')]
torch.set_num_threads(int(sys.argv[2]))
torch.manual_seed(1)
dtype = torch.float64
layers = []
for fan_in, fan_out in zip(sizes, sizes[1:]):
    layers += [torch.nn.Linear(fan_in, fan_out).to(dtype), torch.nn.Sigmoid()]
model = torch.nn.Sequential(*layers).eval()


def latencies(x, calls):
    times = []
    with torch.no_grad():
        for _ in range(calls // 10):
            model(x)
        for _ in range(calls):
            start = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - start)
    times.sort()
    return times


if len(sys.argv) > 3:
    by_rows = {}
    for rows in sys.argv[3].split(','):
        times = latencies(torch.rand(int(rows), sizes[0], dtype=dtype), 1000)
        by_rows[rows] = {'median_seconds': times[len(times) // 2], 'p99_seconds': times[int(len(times) * 0.99)]}
    print(json.dumps({'torch': torch.__version__, 'blas_libraries': blas_libraries(), 'rows': by_rows}))
    sys.exit(0)

one = latencies(torch.rand(1, sizes[0], dtype=dtype), 3000)
block = latencies(torch.rand(1024, sizes[0], dtype=dtype), 60)

print(json.dumps({'torch': torch.__version__, 'blas_libraries': blas_libraries(), 'median_seconds': one[len(one) // 2], 'p99_seconds': one[int(len(one) * 0.99)],
                  'rows_per_second': 1024 / block[len(block) // 2]}))
