// Learning-rate schedules: fit's `learningRate` as a number or a schedule,
// evaluated once per epoch. For epoch e (from 0, counted across fit calls
// while the schedule stays the same):
//   constant     η
//   step         initial · gamma^⌊e / every⌋
//   exponential  initial · gamma^e
//   cosine       e < warmup: initial · (e + 1) / warmup; then, with c = e − warmup
//                and T = epochs − warmup, min + (initial − min)·(1 + cos(πc/T))/2,
//                and min once c ≥ T
//   plateau      starts at initial; after an epoch in which the monitored figure
//                did not fall below its best for more than `patience` epochs in
//                a row, the rate becomes max(rate · factor, min)
import { DeltapropError, describeValue } from '../errors.js';
import { checkInteger, checkKnownKeys, checkNumber, checkObject, checkOneOf } from '../validate.js';

export interface StepSchedule {
  type: 'step';
  initial: number;
  gamma: number;
  /** Epochs between two multiplications by gamma (integer ≥ 1). */
  every: number;
}

export interface ExponentialSchedule {
  type: 'exponential';
  initial: number;
  gamma: number;
}

export interface CosineSchedule {
  type: 'cosine';
  initial: number;
  /** The rate at `epochs` and after; default 0. */
  min?: number;
  /** The epoch (counted from the first) at which the rate reaches min. */
  epochs: number;
  /** Epochs of linear warm-up before the annealing; default 0. */
  warmup?: number;
}

export interface PlateauSchedule {
  type: 'plateau';
  initial: number;
  /** In (0, 1); default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before a cut; default 10. */
  patience?: number;
  /** The rate never falls below this; default 0. */
  min?: number;
  /** Default 'loss'; 'validationLoss' needs fit's validation data. */
  monitor?: 'loss' | 'validationLoss';
}

/** What fit's `learningRate` option takes. */
export type LearningRate = number | StepSchedule | ExponentialSchedule | CosineSchedule | PlateauSchedule;

/** A schedule with every setting resolved: what a network stores. */
export type ResolvedSchedule = { type: 'constant'; initial: number } | Required<StepSchedule> | Required<ExponentialSchedule> | Required<CosineSchedule> | Required<PlateauSchedule>;

/** Where a schedule stands: epochs run, and for plateau the current rate, the best figure seen and the epochs since it. */
export interface SchedulePosition {
  epoch: number;
  rate: number;
  best: number;
  badEpochs: number;
}

const SCHEDULES = ['step', 'exponential', 'cosine', 'plateau'] as const;
const MONITORS = ['loss', 'validationLoss'] as const;
const KEYS: Record<(typeof SCHEDULES)[number], readonly string[]> = {
  step: ['type', 'initial', 'gamma', 'every'],
  exponential: ['type', 'initial', 'gamma'],
  cosine: ['type', 'initial', 'min', 'epochs', 'warmup'],
  plateau: ['type', 'initial', 'factor', 'patience', 'min', 'monitor'],
};

export const DEFAULT_LEARNING_RATE = 0.01;

const positive = { min: 0, minExclusive: true };

export function resolveLearningRate(value: unknown, name = 'options.learningRate'): ResolvedSchedule {
  if (value === undefined) return { type: 'constant', initial: DEFAULT_LEARNING_RATE };
  if (typeof value === 'number') return { type: 'constant', initial: checkNumber(name, value, positive) };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DeltapropError(name, `expected a number > 0 or a schedule object { type: ${SCHEDULES.map((s) => `'${s}'`).join(' | ')}, ... }, got ${describeValue(value)}`);
  }
  const o = value as Record<string, unknown>;
  const type = checkOneOf(`${name}.type`, o.type, SCHEDULES);
  checkKnownKeys(name, o, KEYS[type]);
  const initial = checkNumber(`${name}.initial`, o.initial, positive);
  const min = (fallback: number) => (o.min === undefined ? fallback : checkNumber(`${name}.min`, o.min, { min: 0, max: initial }));
  switch (type) {
    case 'step':
      return { type, initial, gamma: checkNumber(`${name}.gamma`, o.gamma, positive), every: checkInteger(`${name}.every`, o.every, 1) };
    case 'exponential':
      return { type, initial, gamma: checkNumber(`${name}.gamma`, o.gamma, positive) };
    case 'cosine': {
      const epochs = checkInteger(`${name}.epochs`, o.epochs, 1);
      const warmup = o.warmup === undefined ? 0 : checkInteger(`${name}.warmup`, o.warmup, 0, epochs - 1);
      return { type, initial, min: min(0), epochs, warmup };
    }
    case 'plateau':
      return {
        type,
        initial,
        factor: o.factor === undefined ? 0.1 : checkNumber(`${name}.factor`, o.factor, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
        patience: o.patience === undefined ? 10 : checkInteger(`${name}.patience`, o.patience, 0),
        min: min(0),
        monitor: o.monitor === undefined ? 'loss' : checkOneOf(`${name}.monitor`, o.monitor, MONITORS),
      };
  }
}

/** Checks a schedule read back from a saved network: it must be one resolveLearningRate makes. */
export function checkResolvedSchedule(name: string, value: unknown): ResolvedSchedule {
  const o = checkObject(name, value);
  if (o.type === 'constant') {
    checkKnownKeys(name, o, ['type', 'initial']);
    return { type: 'constant', initial: checkNumber(`${name}.initial`, o.initial, positive) };
  }
  const resolved = resolveLearningRate(o, name);
  for (const key of Object.keys(resolved)) {
    if (o[key] === undefined) throw new DeltapropError(`${name}.${key}`, 'expected the setting the network saved, got undefined');
  }
  return resolved;
}

export function sameSchedule(a: ResolvedSchedule, b: ResolvedSchedule): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

export function startPosition(schedule: ResolvedSchedule): SchedulePosition {
  return { epoch: 0, rate: schedule.initial, best: Infinity, badEpochs: 0 };
}

/** The rate of the epoch the position is at. */
export function rateAt(schedule: ResolvedSchedule, position: SchedulePosition): number {
  const e = position.epoch;
  switch (schedule.type) {
    case 'constant':
      return schedule.initial;
    case 'step':
      return schedule.initial * schedule.gamma ** Math.floor(e / schedule.every);
    case 'exponential':
      return schedule.initial * schedule.gamma ** e;
    case 'cosine': {
      const { initial, min, epochs, warmup } = schedule;
      if (e < warmup) return (initial * (e + 1)) / warmup;
      const c = e - warmup;
      const T = epochs - warmup;
      return c >= T ? min : min + ((initial - min) * (1 + Math.cos((Math.PI * c) / T))) / 2;
    }
    case 'plateau':
      return position.rate;
  }
}

/** Moves the position past an epoch whose figures are given. */
export function advance(schedule: ResolvedSchedule, position: SchedulePosition, figures: { loss: number; validationLoss?: number }): void {
  position.epoch++;
  if (schedule.type !== 'plateau') return;
  const figure = schedule.monitor === 'loss' ? figures.loss : figures.validationLoss!;
  if (figure < position.best) {
    position.best = figure;
    position.badEpochs = 0;
    return;
  }
  position.badEpochs++;
  if (position.badEpochs > schedule.patience) {
    position.rate = Math.max(position.rate * schedule.factor, schedule.min);
    position.badEpochs = 0;
  }
}
