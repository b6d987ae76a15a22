// The deltaprop command: argument parsing (commander) and the one place that
// turns errors into an exit status. Bad input and bad usage print one line
// and exit 2; nothing prints a stack trace unless DELTAPROP_DEBUG=1.
import fs from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ACTIVATIONS } from '../activations.js';
import { DeltapropError } from '../errors.js';
import { Network } from '../network.js';
import { OPTIMIZERS } from '../optimizers.js';
import { packageVersion } from '../version.js';
import { CliInputError, EXIT_BAD_INPUT } from './errors.js';
import { evaluate } from './evaluate.js';
import { exportModel } from './export.js';
import { info } from './info.js';
import { predict } from './predict.js';
import { TASKS } from './task.js';
import type { Output, TrainSettings } from './train.js';
import { train } from './train.js';

function integer(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

function fraction(text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !(x >= 0 && x < 1)) throw new InvalidArgumentError('expected a number in [0, 1)');
  return x;
}

function positive(text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !(x > 0) || !Number.isFinite(x)) throw new InvalidArgumentError('expected a number > 0');
  return x;
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

function program(io: Output, setStatus: (status: number) => void): Command {
  const cli = new Command('deltaprop')
    .description('Train, evaluate and serve feed-forward networks from CSV files.')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run deltaprop --help for usage)');

  cli.command('train')
    .description('train a network on a CSV file with a header row')
    .argument('<data.csv>')
    .requiredOption('--target <column>', 'the column to predict')
    .addOption(new Option('--task <task>', 'override the task found from the target column').choices(TASKS))
    .option('--layers <sizes>', 'hidden layer sizes, comma-separated (empty for none)', layers, [64, 32])
    .addOption(new Option('--activation <name>', 'hidden layers\' activation').choices(ACTIVATIONS.filter((a) => a !== 'softmax')).default('relu'))
    .addOption(new Option('--optimizer <name>').choices(OPTIMIZERS).default('adam'))
    .option('--learning-rate <rate>', 'default 0.001, or 0.01 for sgd', positive)
    .option('--epochs <n>', 'at most this many epochs', integer(1), 100)
    .option('--batch-size <n>', 'rows per minibatch', integer(1), 32)
    .option('--validation-split <fraction>', 'rows held out (shuffled, seeded) to validate on; 0 for none', fraction, 0.2)
    .option('--early-stopping <patience>', 'stop after this many epochs without a better validation loss, and keep the best; 0 for never', integer(0), 10)
    .option('--seed <n>', 'initialisation, shuffling and the validation split', integer(0), 1)
    .option('--out <file>', 'where to save the model', 'model.dpm')
    .option('--report <file>', 'also write an HTML training report')
    .option('--json', 'one JSON object per epoch, then a summary')
    .action(async (file: string, o: Omit<TrainSettings, 'json'> & { json?: boolean }) => {
      setStatus(await train(file, { ...o, json: o.json === true }, io));
    });

  cli.command('evaluate')
    .description('the model\'s metrics on a CSV file that has the target column (a confusion matrix for classification)')
    .argument('<model.dpm>')
    .argument('<data.csv>')
    .option('--json', 'as one JSON object')
    .action(async (model: string, file: string, o: { json?: boolean }) => {
      setStatus(await evaluate(loadModel(model), model, file, o.json === true, io));
    });

  cli.command('predict')
    .description('predictions for every row of a CSV file, as CSV on stdout (class names for classification)')
    .argument('<model.dpm>')
    .argument('<data.csv>')
    .action(async (model: string, file: string) => {
      setStatus(await predict(loadModel(model), model, file, io));
    });

  cli.command('export')
    .description('write the model in another format')
    .argument('<model.dpm>')
    .requiredOption('--onnx <file>', 'an ONNX file (opset 13) for ONNX Runtime')
    .option('--float32', 'float32 instead of float64')
    .action((model: string, o: { onnx: string; float32?: boolean }) => {
      setStatus(exportModel(loadModel(model), o.onnx, o.float32 === true, io));
    });

  cli.command('info')
    .description('version, engine, ISA, threads, and why the native engine did not load')
    .option('--json', 'as one JSON object')
    .action((o: { json?: boolean }) => {
      setStatus(info(o.json === true, io));
    });
  return cli;
}

/** Runs the command line `args` (without node and the script) and returns the exit status. */
export async function run(args: string[], io: Output = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let status = 0;
  try {
    await program(io, (s) => { status = s; }).parseAsync(args, { from: 'user' });
    return status;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    if (e instanceof CliInputError || e instanceof DeltapropError) {
      io.stderr.write(`deltaprop: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr.write(`deltaprop: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.DELTAPROP_DEBUG === '1') io.stderr.write(`${(e as Error)?.stack}\n`);
    else io.stderr.write('(DELTAPROP_DEBUG=1 shows where)\n');
    return 1;
  }
}
