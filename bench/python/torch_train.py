"""PyTorch float64 training throughput: sigmoid layers, MSE, plain SGD or
Adam, the same loop as the deltaprop benchmark. Usage: torch_train.py SIZES
BATCH TORCH_THREADS [OPTIMIZER] (SIZES like 784-128-10, OPTIMIZER sgd or
adam). BLAS threads come from the environment (OPENBLAS_NUM_THREADS), set by
the caller. Prints one JSON object."""
import json
import sys
import time

import torch

from blas_info import blas_libraries

sizes = [int(x) for x in sys.argv[1].split('-')]
batch = int(sys.argv[2])
torch.set_num_threads(int(sys.argv[3]))
optimizer_name = sys.argv[4] if len(sys.argv) > 4 else 'sgd'
torch.manual_seed(1)
dtype = torch.float64

layers = []
for fan_in, fan_out in zip(sizes, sizes[1:]):
    layers += [torch.nn.Linear(fan_in, fan_out).to(dtype), torch.nn.Sigmoid()]
model = torch.nn.Sequential(*layers)
optimizers = {'sgd': torch.optim.SGD, 'adam': torch.optim.Adam}
optimizer = optimizers[optimizer_name](model.parameters(), lr=0.01)
loss_fn = torch.nn.MSELoss()


def epoch(x, t):
    for start in range(0, x.shape[0], batch):
        xb = x[start:start + batch]
        tb = t[start:start + batch]
        optimizer.zero_grad()
        loss_fn(model(xb), tb).backward()
        optimizer.step()


rows = batch * 4
while True:
    x = torch.rand(rows, sizes[0], dtype=dtype) * 2 - 1
    t = torch.rand(rows, sizes[-1], dtype=dtype)
    start = time.perf_counter()
    epoch(x, t)
    seconds = time.perf_counter() - start
    if seconds >= 0.3 or rows >= 1 << 20:
        break
    rows *= 4
times = []
for _ in range(3):
    start = time.perf_counter()
    epoch(x, t)
    times.append(time.perf_counter() - start)
times.sort()


print(json.dumps({'torch': torch.__version__, 'samples_per_second': rows / times[1], 'rows': rows,
                  'blas_libraries': blas_libraries()}))
