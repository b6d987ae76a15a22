'use strict';
// examples/mnist.js over several processes: every process the launcher starts
// loads the same digits, trains its share of each minibatch, and the
// gradients are summed over MPI, so the model is the one a single process
// would train with the global batch (world.size × 64 rows). Needs Open MPI
// (or MPICH) and the MPI addon: npm run build:mpi. Run:
//
//   mpirun -np 2 node examples/distributed-mnist.js
//
// (add --oversubscribe for more processes than cores, and as root
// OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1). Without a
// launcher it trains in one process. Rank 0 prints the result and saves the
// model to the path given as the first argument, if any.
const distributed = require('deltaprop/distributed');
const { BATCH_SIZE, EPOCHS, digits, network, fitOptions } = require('./mnist-data');

async function main() {
  const world = await distributed.init();
  const { train, held } = digits();
  const net = network();
  const start = process.hrtime.bigint();
  const history = await net.fit(train.inputs, train.labels, { ...fitOptions(), distributed: world });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (world.rank === 0) {
    const { accuracy } = net.evaluate(held.inputs, held.labels);
    console.log(
      `${world.size} processes, global batch ${world.size * BATCH_SIZE}: ${EPOCHS} epochs in ${seconds.toFixed(2)} s, ${Math.round((EPOCHS * train.inputs.rows) / seconds)} samples/s over all`,
    );
    console.log(`loss by epoch: ${history.loss.map((l) => l.toFixed(4)).join(', ')}`);
    console.log(`test accuracy: ${(accuracy * 100).toFixed(2)}% of ${held.inputs.rows} digits`);
    if (process.argv[2]) net.save(process.argv[2]);
  }
  await world.finalize();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
