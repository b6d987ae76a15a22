'use strict';
// Data-parallel training over MPI on this machine (npm run bench:distributed):
//
// 1. allreduce: the time of world.allreduceSum against the buffer's size,
//    and the bus bandwidth it reaches, 2(p − 1)/p · bytes / time (the
//    convention of the ring model in docs/distributed.md);
// 2. a step of 784-512-512-10 at batch 128 per process, split into compute
//    (the same fit on every process at once, each alone: the same work
//    competing for the same cores; with a clipNorm too large to clip, so
//    that it takes the unfused path a data-parallel step takes: the whole
//    gradient, then the step), the allreduce of the whole gradient, and the
//    overlap achieved: (compute + allreduce − step) / allreduce.
//
// Without a launcher it starts itself under `mpirun -np 2` (--np N for
// more); every process runs one engine thread, so that 2 processes fit 2
// cores. --json prints the figures as one JSON object instead. Needs mpirun
// and the MPI addon (npm run build:mpi).
const { spawnSync } = require('node:child_process');
const deltaprop = require('deltaprop');
const { dataset } = require('./lib/data');
const { median } = require('./lib/measure');
const { epochSeconds, sigmoidNetwork } = require('./peers/deltaprop');

const underLauncher = ['OMPI_COMM_WORLD_SIZE', 'PMI_SIZE', 'PMIX_RANK', 'SLURM_NTASKS'].some((v) => process.env[v] !== undefined);
if (!underLauncher) {
  const i = process.argv.indexOf('--np');
  const np = i < 0 ? '2' : process.argv[i + 1];
  const run = spawnSync('mpirun', ['--oversubscribe', '--timeout', '900', '-np', np, process.execPath, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' },
  });
  if (run.error) console.error(`bench/distributed.js: cannot run mpirun (${run.error.message}); apt-get install openmpi-bin libopenmpi-dev`);
  process.exit(run.status ?? 1);
}

const distributed = require('deltaprop/distributed');
const SIZES = [784, 512, 512, 10];
const BATCH = 128;

const ms = (values) => values.map((v) => (v * 1e3).toFixed(1)).join(' ');
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

async function allreduceTimes(world) {
  const rows = [];
  for (let bytes = 8; bytes <= 64 << 20; bytes *= 4) {
    const buffer = new Float64Array(bytes / 8).fill(1);
    const reps = Math.max(5, Math.min(200, Math.round((32 << 20) / bytes)));
    const times = [];
    for (let r = 0; r < reps + 2; r++) {
      const start = process.hrtime.bigint();
      await world.allreduceSum(buffer);
      if (r >= 2) times.push(seconds(start));
    }
    const t = median(times);
    rows.push({ bytes, seconds: t, busGBs: (((2 * (world.size - 1)) / world.size) * bytes) / t / 1e9 });
  }
  return rows;
}

/** Seconds per step of a fit of `steps` steps, with or without the world (the median epoch of 3 after one). */
async function stepSeconds(world, together) {
  const rows = BATCH * world.size * 8;
  const d = dataset(rows, SIZES[0], SIZES[SIZES.length - 1]);
  const net = sigmoidNetwork(SIZES);
  // Alone, each process trains on its own share of the rows at the same batch: the same work per step.
  const mine = together ? rows : rows / world.size;
  const X = { rows: mine, cols: SIZES[0], data: d.X.subarray(0, mine * SIZES[0]) };
  const T = { rows: mine, cols: d.outputs, data: d.T.subarray(0, mine * d.outputs) };
  const epochs = await epochSeconds(net, X, T, { epochs: 4, batchSize: BATCH, shuffle: false, ...(together ? { distributed: world } : { clipNorm: 1e300 }) });
  return median(epochs) / 8;
}

(async () => {
  deltaprop.setThreads(1);
  const world = await distributed.init({ timeoutSeconds: 120 });
  const reduce = await allreduceTimes(world);
  const parameters = SIZES.slice(1).reduce((s, units, i) => s + units * (SIZES[i] + 1), 0);
  const gradient = new Float64Array(parameters).fill(1);
  const gradientTimes = [];
  for (let r = 0; r < 12; r++) {
    const start = process.hrtime.bigint();
    await world.allreduceSum(gradient);
    if (r >= 2) gradientTimes.push(seconds(start));
  }
  // Alternated rounds, medians: a shared machine's noise falls on both alike.
  const computes = [];
  const steps = [];
  for (let round = 0; round < 5; round++) {
    computes.push(await stepSeconds(world, false));
    steps.push(await stepSeconds(world, true));
  }
  const compute = median(computes);
  const step = median(steps);
  const allreduce = median(gradientTimes);
  const overlap = Math.min(1, Math.max(0, (compute + allreduce - step) / allreduce));
  if (world.rank === 0 && process.argv.includes('--json')) {
    console.log(
      JSON.stringify({
        processes: world.size,
        isa: deltaprop.backend.isa,
        allreduce: reduce,
        step: { network: SIZES.join('-'), batch: BATCH, gradientBytes: parameters * 8, compute, allreduce, step, overlap, computeRounds: computes, stepRounds: steps },
      }),
    );
  } else if (world.rank === 0) {
    console.log(`deltaprop distributed bench: ${world.size} processes on ${require('node:os').cpus().length} cores, 1 engine thread each, native ${deltaprop.backend.isa}`);
    console.log('\nallreduceSum (MPI_Iallreduce on the progress thread), medians');
    console.log('bytes          µs   bus GB/s');
    for (const r of reduce) console.log(`${String(r.bytes).padStart(9)}  ${(r.seconds * 1e6).toFixed(1).padStart(9)}  ${r.busGBs.toFixed(2).padStart(8)}`);
    console.log(`\na step of ${SIZES.join('-')}, batch ${BATCH} per process (${((parameters * 8) / 1e6).toFixed(2)} MB of gradient)`);
    console.log(`compute alone      ${(compute * 1e3).toFixed(2)} ms   (the same work on every process at once, alone; rounds ${ms(computes)})`);
    console.log(`allreduce alone    ${(allreduce * 1e3).toFixed(2)} ms   (the whole gradient at once)`);
    console.log(`data-parallel step ${(step * 1e3).toFixed(2)} ms   (${Math.round((world.size * BATCH) / step)} samples/s over all processes; rounds ${ms(steps)})`);
    console.log(`overlap achieved   ${(100 * overlap).toFixed(0)}% of the allreduce hidden behind backprop`);
  }
  await world.finalize();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
