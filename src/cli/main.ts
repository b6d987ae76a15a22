// The deltaprop command: argument parsing (commander) and the one place that
// turns errors into an exit status. Bad input and bad usage print one line
// and exit 2; a file that could not be written once the work was done, one
// line and exit 1; a stdout closed by its reader ends the command quietly
// (exit 141, or 0 for train, whose model was saved). Nothing prints a stack
// trace unless DELTAPROP_DEBUG=1. Every message has the control characters
// of the data it quotes escaped (text.ts).
import fs from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ACTIVATIONS } from '../activations.js';
import { DeltapropError } from '../errors.js';
import { Network } from '../network.js';
import { OPTIMIZERS } from '../optimizers.js';
import type { MetricName } from '../table/metrics.js';
import { METRIC_NAMES } from '../table/metrics.js';
import { packageVersion } from '../persistence/version.js';
import { cv } from './cv.js';
import { CliInputError, CliWriteError, EXIT_BAD_INPUT, EXIT_WRITE_FAILED } from './errors.js';
import { evaluate } from './evaluate.js';
import { exportModel } from './export.js';
import { info } from './info.js';
import type { Output } from './output.js';
import { EXIT_OUTPUT_CLOSED, watchOf, writeErr, writeOut } from './output.js';
import { checkOutputs, writeReason } from './paths.js';
import { parseSchedule } from './model-settings.js';
import { predict } from './predict.js';
import { TASKS } from './task.js';
import { printable } from './text.js';
import type { TrainSettings } from './train.js';
import { train } from './train.js';

function integer(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

/** A number the flag accepts, or commander's usage error saying what it expected. */
function numberIn(accepts: (x: number) => boolean, expected: string) {
  return (text: string): number => {
    const x = Number(text);
    if (text.trim() === '' || !Number.isFinite(x) || !accepts(x)) throw new InvalidArgumentError(`expected ${expected}`);
    return x;
  };
}

const fraction = numberIn((x) => x >= 0 && x < 1, 'a number in [0, 1)');
const positive = numberIn((x) => x > 0, 'a number > 0');
const nonNegative = numberIn((x) => x >= 0, 'a number ≥ 0');

/** A comma-separated list of names (columns, metrics). */
function names(text: string): string[] {
  const list = text.split(',').map((n) => n.trim());
  if (list.some((n) => n === '')) throw new InvalidArgumentError(`expected names separated by commas, got '${text}'`);
  return list;
}

function metricNames(text: string): MetricName[] {
  const list = names(text);
  const unknown = list.find((n) => !(METRIC_NAMES as readonly string[]).includes(n));
  if (unknown !== undefined) throw new InvalidArgumentError(`'${unknown}' is not a metric (they are ${METRIC_NAMES.join(', ')})`);
  return list as MetricName[];
}

const DELIMITER_NAMES: Record<string, string> = { ',': ',', comma: ',', ';': ';', semicolon: ';', tab: '\t', '\\t': '\t', '\t': '\t' };

function delimiter(text: string): string {
  const d = DELIMITER_NAMES[text];
  if (d === undefined) throw new InvalidArgumentError("expected ',', ';' or tab (also: comma, semicolon, '\\t')");
  return d;
}

function layers(text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    if (!/^\s*\d+\s*$/.test(part) || Number(part) < 1) throw new InvalidArgumentError(`expected hidden layer sizes such as 64,32, got '${text}'`);
    return Number(part);
  });
}

function loadModel(file: string): Network {
  if (!fs.existsSync(file)) throw new CliInputError(file, 'no such file');
  return Network.load(file);
}

/** A usage error of commander's as one line: its message, the data it quotes escaped, and where the usage is. */
function usageLine(message: string): string {
  const text = message
    .trim()
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean ([^)\n]*)\)/, ' (did you mean $1)');
  return `deltaprop: ${printable(text)} (deltaprop --help shows the usage)\n`;
}

/** What the command run asks of the exit status. */
interface Outcome {
  status: number;
  /** Whether the command's job is done even when its stdout was closed (train: the model is saved). */
  outputOptional: boolean;
}

function program(io: Output, outcome: Outcome): Command {
  const setStatus = (status: number) => {
    outcome.status = status;
  };
  const cli = new Command('deltaprop')
    .description('Train, evaluate and serve feed-forward networks from CSV files.')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        writeOut(io, s);
      },
      writeErr: (s) => writeErr(io, s),
      outputError: (s, write) => write(usageLine(s)),
    });

  /** The options train and cv share: which columns, the network, and how it trains. */
  const modelOptions = (command: Command): Command =>
    command
      .argument('<data.csv>')
      .requiredOption('--target <column>', 'the column to predict')
      .addOption(new Option('--task <task>', 'override the task found from the target column').choices(TASKS))
      .option('--features <columns>', 'train on exactly these columns (comma-separated), identifiers included')
      .option('--ignore <columns>', 'leave these columns out (comma-separated)', names)
      .option('--categorical <columns>', 'read these columns as categories, as written (comma-separated)', names)
      .option('--delimiter <d>', "',', ';' or tab (default: found from the header line)", delimiter)
      .option('--layers <sizes>', 'hidden layer sizes, comma-separated (empty for none)', layers, [64, 32])
      .addOption(new Option('--activation <name>', "hidden layers' activation").choices(ACTIVATIONS.filter((a) => a !== 'softmax')).default('relu'))
      .option('--dropout <rate>', 'dropout on every hidden layer while training', fraction)
      .option('--l2 <lambda>', 'L2 penalty on the weights', nonNegative)
      .addOption(new Option('--optimizer <name>').choices(OPTIMIZERS).default('adam'))
      .option('--learning-rate <rate>', 'default 0.001, or 0.01 for sgd', positive)
      .option('--schedule <schedule>', 'learning-rate schedule: cosine, plateau, exponential:GAMMA or step:GAMMA:EVERY', parseSchedule)
      .option('--epochs <n>', 'at most this many epochs', integer(1), 100)
      .option('--batch-size <n>', 'rows per minibatch', integer(1), 32)
      .option('--class-weight <weights>', "'balanced': weigh each class by n / (classes × its rows)")
      .option('--metrics <names>', `figures to measure after every epoch (${METRIC_NAMES.join(', ')})`, metricNames)
      .option('--validation-split <fraction>', 'rows held out (shuffled, seeded; stratified for classification) to validate on; 0 for none', fraction, 0.2)
      .option('--early-stopping <patience>', 'stop after this many epochs without a better validation loss, and keep the best; 0 for never', integer(0), 10)
      .option('--seed <n>', 'initialisation, shuffling and the validation split', integer(0), 1)
      .option('--json', 'JSON lines instead of text');

  /** The options as train and cv take them, checked; `given`: those set on the command line. */
  const settingsOf = (o: Record<string, unknown>, command: Command) => {
    if (o.classWeight !== undefined && o.classWeight !== 'balanced') throw new CliInputError('--class-weight', `expected 'balanced', got '${o.classWeight}'`);
    const given = new Set(Object.keys(o).filter((key) => command.getOptionValueSource(key) === 'cli'));
    const features = o.features === undefined ? undefined : names(o.features as string);
    return { ...o, features, json: o.json === true, given };
  };

  modelOptions(cli.command('train').description('train a network on a CSV file with a header row'))
    .option('--resume <model.dpm>', 'continue training this model (its columns, classes and optimizer state)')
    .option('--out <file>', 'where to save the model', 'model.dpm')
    .option('--report <file>', 'also write an HTML training report')
    .action(async (file: string, o: Record<string, unknown>, command: Command) => {
      const settings = settingsOf(o, command) as unknown as TrainSettings;
      // --out may be the model --resume continues (it is replaced once trained); --report may not.
      checkOutputs(
        [{ flag: '--out', file: settings.out, mayReplace: settings.resume }, ...(settings.report === undefined ? [] : [{ flag: '--report', file: settings.report }])],
        [{ what: 'the data file', file }, ...(settings.resume === undefined ? [] : [{ what: 'the model --resume continues', file: settings.resume }])],
      );
      outcome.outputOptional = true;
      setStatus(await train(file, settings, io));
    });

  modelOptions(cli.command('cv').description('cross-validate the network train would build: per-fold figures, then mean ± standard deviation'))
    .option('--folds <k>', 'how many folds', integer(2), 5)
    .action(async (file: string, o: Record<string, unknown>, command: Command) => {
      setStatus(await cv(file, settingsOf(o, command) as never, io));
    });

  cli
    .command('evaluate')
    .description("the model's figures on a CSV file that has the target column (per class and averaged for classification, with the confusion matrix)")
    .argument('<model.dpm>')
    .argument('<data.csv>')
    .option('--delimiter <d>', "',', ';' or tab (default: found from the header line)", delimiter)
    .option('--report <file>', 'also write them as an HTML report')
    .option('--json', 'every figure, as one JSON object')
    .action(async (model: string, file: string, o: { json?: boolean; report?: string; delimiter?: string }) => {
      if (o.report !== undefined)
        checkOutputs(
          [{ flag: '--report', file: o.report }],
          [
            { what: 'the model', file: model },
            { what: 'the data file', file },
          ],
        );
      setStatus(await evaluate(loadModel(model), model, file, { json: o.json === true, report: o.report, delimiter: o.delimiter }, io));
    });

  cli
    .command('predict')
    .description('predictions for every row of a CSV file, as CSV on stdout (class labels for classification)')
    .argument('<model.dpm>')
    .argument('<data.csv>')
    .option('--delimiter <d>', "',', ';' or tab (default: found from the header line)", delimiter)
    .option('--proba', "each class's probability too")
    .option('--json', 'one JSON object a row (JSON Lines)')
    .action(async (model: string, file: string, o: { json?: boolean; proba?: boolean; delimiter?: string }) => {
      setStatus(await predict(loadModel(model), model, file, { json: o.json === true, proba: o.proba === true, delimiter: o.delimiter }, io));
    });

  cli
    .command('export')
    .description('write the model in another format')
    .argument('<model.dpm>')
    .requiredOption('--onnx <file>', 'an ONNX file (opset 13) for ONNX Runtime')
    .option('--float32', 'float32 instead of float64')
    .action((model: string, o: { onnx: string; float32?: boolean }) => {
      checkOutputs([{ flag: '--onnx', file: o.onnx }], [{ what: 'the model', file: model }]);
      setStatus(exportModel(loadModel(model), o.onnx, o.float32 === true, io));
    });

  cli
    .command('info')
    .description('version, engine, ISA, threads, and why the native engine did not load')
    .option('--json', 'as one JSON object')
    .action((o: { json?: boolean }) => {
      setStatus(info(o.json === true, io));
    });
  return cli;
}

/** Runs the command line `args` (without node and the script) and returns the exit status. */
export async function run(args: string[], io: Output = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const watch = watchOf(io);
  const outcome: Outcome = { status: 0, outputOptional: false };
  let status = await runCommand(args, io, outcome);
  await watch.settle();
  const failure = watch.stdoutFailure;
  if (failure !== null) {
    writeErr(io, `deltaprop: could not write to stdout: ${printable(writeReason(failure))}\n`);
    if (status === 0) status = EXIT_WRITE_FAILED;
  } else if (watch.stdoutClosed && status === 0 && !outcome.outputOptional) {
    status = EXIT_OUTPUT_CLOSED;
  }
  return status;
}

async function runCommand(args: string[], io: Output, outcome: Outcome): Promise<number> {
  if (args.length === 0) {
    writeErr(io, 'deltaprop: which command? train, cv, evaluate, predict, export or info (deltaprop --help shows the usage)\n');
    return EXIT_BAD_INPUT;
  }
  try {
    await program(io, outcome).parseAsync(args, { from: 'user' });
    return outcome.status;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    if (e instanceof CliInputError || e instanceof DeltapropError) {
      writeErr(io, `deltaprop: ${printable(e.message)}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof CliWriteError) {
      writeErr(io, `deltaprop: ${printable(e.message)}\n`);
      return EXIT_WRITE_FAILED;
    }
    const message = printable(String((e as Error)?.message ?? e));
    if (process.env.DELTAPROP_DEBUG === '1') writeErr(io, `deltaprop: internal error: ${message}\n${(e as Error)?.stack}\n`);
    else writeErr(io, `deltaprop: internal error: ${message} (DELTAPROP_DEBUG=1 shows where)\n`);
    return 1;
  }
}
