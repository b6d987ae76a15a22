// How training shows itself: a progress bar on a terminal (cli-progress),
// one plain line per epoch when stdout is not one, or one JSON object per
// epoch with --json. All three see the same figures. Once stdout is gone
// (its reader closed the pipe, the terminal closed), none writes any more.
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import type { BatchProgress, EpochInfo } from '../training/fit-options.js';
import type { Output, OutputWatch } from './output.js';
import { watchOf, writeOut } from './output.js';
import { printable } from './text.js';

export interface Progress {
  /** Whether it shows progress within an epoch: fit's onProgress (which splits each epoch's engine call) is passed only then. */
  readonly perBatch: boolean;
  /** During an epoch (fit's onProgress). */
  batch(p: BatchProgress): void;
  /** After an epoch, with its figures and how many rows per second it trained. */
  epoch(info: EpochInfo, samplesPerSecond: number): void;
  /** Training has ended (finished, stopped early, or interrupted). */
  stop(): void;
}

export interface ProgressSetting {
  epochs: number;
  minibatchesPerEpoch: number;
  io: Output;
  json: boolean;
}

const figure = (x: number | undefined) => (x === undefined ? '-' : x < 1e-3 || x >= 1e5 ? x.toExponential(3) : x.toFixed(4));

/** The epoch's figures as `name value` pairs, for the plain line and the bar alike (--metrics' too, val_ for the validation rows'). */
function figures(info: Partial<EpochInfo>): string {
  const parts = [`loss ${figure(info.loss)}`];
  if (info.validationLoss !== undefined) parts.push(`val_loss ${figure(info.validationLoss)}`);
  if (info.accuracy !== undefined) parts.push(`acc ${figure(info.accuracy)}`);
  if (info.validationAccuracy !== undefined) parts.push(`val_acc ${figure(info.validationAccuracy)}`);
  for (const [name, value] of Object.entries(info.metrics ?? {})) parts.push(`${name} ${figure(value)}`);
  for (const [name, value] of Object.entries(info.validationMetrics ?? {})) parts.push(`val_${name} ${figure(value)}`);
  return parts.join(' ');
}

class JsonLines implements Progress {
  readonly perBatch = false;
  constructor(private readonly io: Output) {}
  batch(): void {}
  epoch(info: EpochInfo, samplesPerSecond: number): void {
    writeOut(this.io, `${JSON.stringify({ ...info, epoch: info.epoch + 1, samplesPerSecond: Math.round(samplesPerSecond) })}\n`);
  }
  stop(): void {}
}

class PlainLines implements Progress {
  readonly perBatch = false;
  constructor(
    private readonly io: Output,
    private readonly epochs: number,
  ) {}
  batch(): void {}
  epoch(info: EpochInfo, samplesPerSecond: number): void {
    // Figures and metric names only; escaped all the same, as every line a person reads.
    writeOut(this.io, `${printable(`epoch ${info.epoch + 1}/${this.epochs} ${figures(info)} samples/s ${Math.round(samplesPerSecond)}`)}\n`);
  }
  stop(): void {}
}

class Bar implements Progress {
  readonly perBatch = true;
  readonly #bar: import('cli-progress').SingleBar;
  #last: Partial<EpochInfo> = {};
  #rate = 0;
  #epoch = -1;
  #epochStart = performance.now();
  #stopped = false;

  constructor(
    out: Writable,
    private readonly watch: OutputWatch,
    private readonly epochs: number,
    private readonly perEpoch: number,
  ) {
    // Loaded here, not at the top: only a terminal needs it.
    const { SingleBar } = require('cli-progress') as typeof import('cli-progress');
    this.#bar = new SingleBar({
      format: 'epoch {epochNumber}/{epochs} [{bar}] {minibatch}/{minibatches} | {figures} | {rate} samples/s | {eta_formatted} left',
      barsize: 24,
      hideCursor: true,
      etaBuffer: 50,
      stream: out,
    });
    this.#bar.start(epochs * perEpoch, 0, this.#payload(0, 0));
  }

  #payload(epoch: number, minibatch: number) {
    return { epochNumber: epoch + 1, epochs: this.epochs, minibatch, minibatches: this.perEpoch, figures: figures(this.#last), rate: Math.round(this.#rate) };
  }

  /** Whether the bar still draws: not once the terminal is gone (then it stops, so its timer draws no more). */
  #live(): boolean {
    if (this.watch.stdoutGone) this.stop();
    return !this.#stopped;
  }

  batch(p: BatchProgress): void {
    if (!this.#live()) return;
    if (p.epoch !== this.#epoch) {
      this.#epoch = p.epoch;
      this.#epochStart = performance.now();
    }
    // Until the first epoch ends, the rate so far; then the last epoch's.
    if (p.epoch === 0) this.#rate = p.rows / Math.max(1e-3, (performance.now() - this.#epochStart) / 1000);
    this.#last = { ...this.#last, loss: p.loss };
    this.#bar.update(p.epoch * this.perEpoch + p.minibatches, this.#payload(p.epoch, p.minibatches));
  }

  epoch(info: EpochInfo, samplesPerSecond: number): void {
    if (!this.#live()) return;
    this.#last = info;
    this.#rate = samplesPerSecond;
    this.#bar.update((info.epoch + 1) * this.perEpoch, this.#payload(info.epoch, this.perEpoch));
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#bar.stop();
  }
}

export function progressFor(s: ProgressSetting): Progress {
  if (s.json) return new JsonLines(s.io);
  if (s.io.stdout.isTTY) return new Bar(s.io.stdout, watchOf(s.io), s.epochs, s.minibatchesPerEpoch);
  return new PlainLines(s.io, s.epochs);
}
