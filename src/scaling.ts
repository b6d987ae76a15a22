// Input scaling kept by the network: statistics of the training inputs,
// applied to every row the network reads (predict, evaluate, gradients, fit),
// so users feed raw rows. Column j is read as (x − shift[j]) / spread[j]:
//   'standard'  shift = mean, spread = standard deviation (population)
//   'minmax'    shift = min,  spread = max − min
// A column with zero spread is left as it is (shift 0, spread 1): scaling it
// would divide by zero, and a constant column carries no information anyway.
import type { InputScaling } from './backend/types.js';
import type { RowData } from './rows.js';
import type { Steps } from './steps.js';
import { runSteps } from './steps.js';

export const INPUT_SCALINGS = ['standard', 'minmax'] as const;
/**
 * How inputs are scaled, by statistics of the training rows: 'standard' as
 * (x − mean)/deviation, 'minmax' as (x − min)/(max − min).
 * @useDeclaredType
 */
export type InputScalingKind = (typeof INPUT_SCALINGS)[number];

/** The statistics of `kind` over every row of `inputs`. */
export function computeScaling(kind: InputScalingKind, inputs: RowData): InputScaling {
  return runSteps(scalingSteps(kind, inputs));
}

/** computeScaling as steps: a pause may come after each block of rows. */
export function* scalingSteps(kind: InputScalingKind, inputs: RowData): Steps<InputScaling> {
  const cols = inputs.cols;
  const shift = new Float64Array(cols);
  const spread = new Float64Array(cols);
  if (kind === 'minmax') {
    const max = new Float64Array(cols).fill(-Infinity);
    shift.fill(Infinity);
    yield* inputs.eachBlock((block, _start, count) => {
      for (let i = 0; i < count * cols; i++) {
        const j = i % cols;
        if (block[i] < shift[j]) shift[j] = block[i];
        if (block[i] > max[j]) max[j] = block[i];
      }
    });
    for (let j = 0; j < cols; j++) spread[j] = max[j] - shift[j];
  } else {
    // Three passes: the largest |x| (M), the mean of x/M, the squared
    // deviations over M. Dividing by M keeps sums of values as large as 1e200
    // from overflowing; the second pass avoids cancellation for large means.
    const largest = new Float64Array(cols);
    yield* inputs.eachBlock((block, _start, count) => {
      for (let i = 0; i < count * cols; i++) largest[i % cols] = Math.max(largest[i % cols], Math.abs(block[i]));
    });
    const unit = (j: number) => (largest[j] > 0 ? largest[j] : 1);
    yield* inputs.eachBlock((block, _start, count) => {
      for (let i = 0; i < count * cols; i++) shift[i % cols] += block[i] / unit(i % cols);
    });
    for (let j = 0; j < cols; j++) shift[j] = (shift[j] / inputs.rows) * unit(j);
    yield* inputs.eachBlock((block, _start, count) => {
      for (let i = 0; i < count * cols; i++) {
        const d = (block[i] - shift[i % cols]) / unit(i % cols);
        spread[i % cols] += d * d;
      }
    });
    for (let j = 0; j < cols; j++) spread[j] = Math.sqrt(spread[j] / inputs.rows) * unit(j);
  }
  for (let j = 0; j < cols; j++) {
    if (!(spread[j] > 0) || !Number.isFinite(spread[j])) {
      shift[j] = 0;
      spread[j] = 1;
    }
  }
  return { shift, spread };
}
