// The metrics module against scikit-learn 1.2.1: every case of
// test/fixtures/metrics/cases.json (written by scripts/fixtures/metrics.py,
// never in CI) to 1e-12 relative to max(1, |sklearn's value|); small cases
// worked by hand; where deltaprop deliberately differs from sklearn; and the
// argument errors, each naming its argument.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeltapropError } from '../src/errors.js';
import {
  accuracy,
  balancedAccuracy,
  classificationReport,
  confusionMatrix,
  f1,
  logLoss,
  mae,
  mape,
  METRIC_NAMES,
  metricDirection,
  metricKind,
  mse,
  precision,
  r2,
  recall,
  rmse,
  rocAuc,
} from '../src/table/metrics.js';
import type { MetricName } from '../src/table/metrics.js';
import { errorOf } from './helpers/errors.js';

interface Case {
  name: string;
  metric: string;
  dataset: string;
  inputs: string[];
  weighted: boolean;
  options: Record<string, unknown>;
  expected: unknown;
}

type Dataset = Record<string, unknown> & { weights: number[] };

const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'metrics', 'cases.json'), 'utf8')) as {
  sklearn: string;
  datasets: Record<string, Dataset>;
  cases: Case[];
};

// Every function under test, by the name the fixture gives it.
const FUNCTIONS: Record<string, (a: never, b: never, options?: never) => unknown> = {
  accuracy,
  balancedAccuracy,
  precision,
  recall,
  f1,
  classificationReport,
  confusionMatrix,
  rocAuc,
  logLoss,
  r2,
  mae,
  mse,
  rmse,
  mape,
};

const TOLERANCE = 1e-12;

/** Where `got` and `want` differ beyond the tolerance (numbers) or at all (the rest), or null. */
function difference(got: unknown, want: unknown, at = ''): string | null {
  if (typeof want === 'number') {
    if (typeof got !== 'number') return `${at}: got ${String(got)}, expected ${want}`;
    const error = Math.abs(got - want) / Math.max(1, Math.abs(want));
    return error <= TOLERANCE ? null : `${at}: got ${got}, expected ${want} (relative error ${error.toExponential(2)})`;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${at}: got ${JSON.stringify(got)}, expected ${want.length} elements`;
    for (let i = 0; i < want.length; i++) {
      const d = difference(got[i], want[i], `${at}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (typeof want === 'object' && want !== null) {
    if (typeof got !== 'object' || got === null) return `${at}: got ${String(got)}, expected an object`;
    const keys = Object.keys(want).sort();
    if (JSON.stringify(Object.keys(got).sort()) !== JSON.stringify(keys)) return `${at}: got keys ${Object.keys(got)}, expected ${keys}`;
    for (const key of keys) {
      const d = difference((got as Record<string, unknown>)[key], (want as Record<string, unknown>)[key], `${at}.${key}`);
      if (d !== null) return d;
    }
    return null;
  }
  return got === want ? null : `${at}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
}

function run(c: Case, inputs = c.inputs.map((field) => fixture.datasets[c.dataset][field])): unknown {
  const options = c.weighted ? { ...c.options, sampleWeight: fixture.datasets[c.dataset].weights } : c.options;
  const [a, b] = inputs as [never, never];
  return FUNCTIONS[c.metric](a, b, options as never);
}

const caseNamed = (name: string): Case => {
  const found = fixture.cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no fixture case named ${name}`);
  return found;
};

describe('scikit-learn 1.2.1 fixtures', () => {
  it('cover every metric, weighted and not, with enough cases', () => {
    expect(fixture.sklearn).toBe('1.2.1');
    for (const metric of Object.keys(FUNCTIONS)) {
      for (const weighted of [false, true]) {
        expect(fixture.cases.filter((c) => c.metric === metric && c.weighted === weighted).length, `${metric} weighted=${weighted}`).toBeGreaterThanOrEqual(5);
      }
    }
    // The weights really have zeros, the AUC scores really tie, a true 0 really is in mape's data.
    expect(fixture.datasets.binary.weights).toContain(0);
    const scores = fixture.datasets.binary.scores as number[];
    expect(new Set(scores).size).toBeLessThan(scores.length / 3);
    expect(fixture.datasets.mapeZero.yTrue).toContain(0);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(difference(run(c), c.expected)).toBeNull();
  });

  it('log loss and multiclass AUC follow options.labels for the columns, in any order', () => {
    const permute = (rows: number[][], order: number[]) => rows.map((row) => order.map((j) => row[j]));
    const loss = caseNamed('logLoss numeric labels [3, 7, 11, 13] weighted');
    const probabilities = permute(fixture.datasets.numeric.probabilitiesExtra as number[][], [3, 0, 2, 1]);
    const options = { labels: [13, 3, 11, 7], sampleWeight: fixture.datasets.numeric.weights };
    expect(difference(logLoss(fixture.datasets.numeric.yTrue as number[], probabilities, options), loss.expected)).toBeNull();

    const auc = caseNamed('rocAuc strings');
    const scores = permute(fixture.datasets.strings.scores as number[][], [2, 0, 3, 1]);
    expect(difference(rocAuc(fixture.datasets.strings.yTrue as string[], scores, { labels: ['cat', 'Ant', 'dog', 'bird'] }), auc.expected)).toBeNull();
  });

  it("binary AUC takes the positive label's scores as a column of 1 or the second of 2, and labels[1] as the positive label", () => {
    const auc = caseNamed('rocAuc binaryStrings weighted');
    const { yTrue, scores, weights } = fixture.datasets.binaryStrings as { yTrue: string[]; scores: number[]; weights: number[] };
    const sampleWeight = Float64Array.from(weights);
    expect(
      difference(
        rocAuc(
          yTrue,
          scores.map((s) => [s]),
          { sampleWeight },
        ),
        auc.expected,
      ),
    ).toBeNull();
    expect(
      difference(
        rocAuc(
          yTrue,
          scores.map((s) => [1 - s, s]),
          { sampleWeight },
        ),
        auc.expected,
      ),
    ).toBeNull();
    // 'no' as the positive label: the negated scores rank the rows the other way round, same AUC.
    expect(
      difference(
        rocAuc(
          yTrue,
          scores.map((s) => -s),
          { labels: ['yes', 'no'], sampleWeight },
        ),
        auc.expected,
      ),
    ).toBeNull();
    expect(difference(rocAuc(yTrue, scores, { labels: ['yes', 'no'], sampleWeight }), 1 - (auc.expected as number))).toBeNull();
  });

  it('typed arrays give what arrays give', () => {
    const c = caseNamed('f1 macro numeric weighted');
    const { yTrue, yPred, weights } = fixture.datasets.numeric as { yTrue: number[]; yPred: number[]; weights: number[] };
    const got = f1(Int32Array.from(yTrue), Float64Array.from(yPred), { sampleWeight: Float64Array.from(weights) });
    expect(difference(got, c.expected)).toBeNull();
    const m = caseNamed('mse multi');
    const rows = fixture.datasets.multi.yTrue as number[][];
    const matrix = { rows: rows.length, cols: 3, data: Float64Array.from(rows.flat()) };
    expect(difference(mse(matrix, fixture.datasets.multi.yPred as number[][]), m.expected)).toBeNull();
  });
});

describe('worked by hand', () => {
  // TN = rows 3, 5, 6; FP = row 4; FN = rows 1, 8; TP = rows 0, 2, 7.
  const yTrue = [1, 1, 1, 0, 0, 0, 0, 1, 1];
  const yPred = [1, 0, 1, 0, 1, 0, 0, 1, 0];

  it('a 2 × 2 confusion matrix and the scores it gives', () => {
    expect(confusionMatrix(yTrue, yPred)).toEqual({
      labels: [0, 1],
      counts: [
        [3, 1],
        [2, 3],
      ],
    });
    expect(confusionMatrix(yTrue, yPred, { labels: [1, 0] })).toEqual({
      labels: [1, 0],
      counts: [
        [3, 2],
        [1, 3],
      ],
    });
    expect(accuracy(yTrue, yPred)).toBe(6 / 9);
    expect(precision(yTrue, yPred, { average: 'binary', positiveLabel: 1 })).toBe(3 / 4);
    expect(recall(yTrue, yPred, { average: 'binary', positiveLabel: 1 })).toBe(3 / 5);
    // 2 · 3/4 · 3/5 / (3/4 + 3/5) = 0.9 / 1.35
    expect(f1(yTrue, yPred, { average: 'binary', positiveLabel: 1 })).toBeCloseTo(2 / 3, 15);
    // Label 0: precision 3/5, recall 3/4.
    expect(precision(yTrue, yPred, { average: 'none' })).toEqual([3 / 5, 3 / 4]);
    expect(recall(yTrue, yPred, { average: 'none' })).toEqual([3 / 4, 3 / 5]);
    expect(balancedAccuracy(yTrue, yPred)).toBeCloseTo((3 / 4 + 3 / 5) / 2, 15);
    // Row 4 (the false positive) weighs 0, rows 0 and 1 weigh 2: TP 4, FP 0, FN 3.
    const sampleWeight = [2, 2, 1, 1, 0, 1, 1, 1, 1];
    expect(confusionMatrix(yTrue, yPred, { sampleWeight }).counts).toEqual([
      [3, 0],
      [3, 4],
    ]);
    expect(precision(yTrue, yPred, { average: 'binary', positiveLabel: 1, sampleWeight })).toBe(1);
    expect(recall(yTrue, yPred, { average: 'binary', positiveLabel: 1, sampleWeight })).toBe(4 / 7);
    expect(accuracy(yTrue, yPred, { sampleWeight })).toBe(7 / 10);
  });

  it('the report of that matrix', () => {
    const report = classificationReport(yTrue, yPred, { labels: [1, 0] });
    expect(report.labels).toEqual([1, 0]);
    expect(report.precision).toEqual([3 / 4, 3 / 5]);
    expect(report.support).toEqual([5, 4]);
    expect(report.accuracy).toBe(6 / 9);
    expect(report.micro.precision).toBe(6 / 9);
    expect(report.weighted.recall).toBeCloseTo(6 / 9, 15); // weighted recall is accuracy
  });

  it('an AUC with ties: the trapezoid under the ROC curve is the share of (positive, negative) pairs ranked right, ties counting half', () => {
    // Positives score 0.35, 0.8, 0.4; negatives 0.1, 0.4, 0.4. Pairs won: 0.35 beats 0.1 (1);
    // 0.8 beats all (3); 0.4 beats 0.1 and ties twice (1 + ½ + ½). 6 of 9. On the curve: thresholds
    // 0.8, 0.4, 0.35, 0.1 give (fpr, tpr) = (0, ⅓), (⅔, ⅔), (⅔, 1), (1, 1): areas ⅔ · ½ + ⅓ · 1 = ⅔.
    const labels = [0, 0, 1, 1, 0, 1];
    const scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4];
    expect(rocAuc(labels, scores)).toBeCloseTo(2 / 3, 15);
    // Weights 1, 1, 1, 2, 0, 1: the pairs weigh w₊·w₋; won 1·1 + 2·(1 + 1) + 1·(1 + ½) = 6.5 of 4 · 2.
    expect(rocAuc(labels, scores, { sampleWeight: [1, 1, 1, 2, 0, 1] })).toBe(6.5 / 8);
    // All tied: the diagonal.
    expect(rocAuc(labels, [1, 1, 1, 1, 1, 1])).toBe(0.5);
    // Perfectly ranked, and perfectly wrong.
    expect(rocAuc(['n', 'y', 'n', 'y'], [0.2, 0.9, 0.1, 0.3])).toBe(1);
    expect(rocAuc(['n', 'y', 'n', 'y'], [0.8, 0.1, 0.9, 0.7])).toBe(0);
  });

  it('a log loss, and the cost of a confident mistake', () => {
    // 'b' is the second label: row 0 ('a') has p(a) = 0.8, row 1 ('b') p(b) = 0.9.
    expect(logLoss(['a', 'b'], [0.2, 0.9])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.9)) / 2, 15);
    // p = 0 is clipped to ε = 2⁻⁵², so it costs −ln ε = 52 ln 2, and p = 1 costs −ln(1 − ε) ≈ ε.
    const want = (52 * Math.LN2 + 2 ** -52) / 2;
    expect(
      Math.abs(
        logLoss(
          [0, 1],
          [
            [0, 1],
            [0, 1],
          ],
        ) - want,
      ) / want,
    ).toBeLessThan(1e-15);
    // Rows are renormalised: [0.2, 0.6] scores as [¼, ¾]; but clipped first, so [2, 6] as [½, ½].
    expect(logLoss([1], [[0.2, 0.6]], { labels: [0, 1] })).toBeCloseTo(-Math.log(0.75), 15);
    expect(logLoss([1], [[2, 6]], { labels: [0, 1] })).toBeCloseTo(Math.LN2, 15);
  });

  it('regression metrics of four rows', () => {
    const t = [1, 2, 3, 4];
    const p = [1, 3, 2, 4];
    expect(mae(t, p)).toBe(0.5);
    expect(mse(t, p)).toBe(0.5);
    expect(rmse(t, p)).toBe(Math.sqrt(0.5));
    // Squared deviations from the mean 2.5 sum to 5; the squared errors to 2.
    expect(r2(t, p)).toBe(1 - 2 / 5);
    expect(mape(t, p)).toBeCloseTo((0 + 1 / 2 + 1 / 3 + 0) / 4, 15);
    // A true 0 divides by ε instead.
    expect(mape([0, 1], [1e-16, 1])).toBeCloseTo(1e-16 / 2 ** -52 / 2, 15);
    // Per output, then averaged: the RMSE of two outputs of MSE 1 and 4 is (1 + 2) / 2, not √2.5.
    expect(
      rmse(
        [
          [0, 0],
          [0, 0],
        ],
        [
          [1, 2],
          [-1, 2],
        ],
      ),
    ).toBe(1.5);
    expect(
      mse(
        [
          [0, 0],
          [0, 0],
        ],
        [
          [1, 2],
          [-1, 2],
        ],
      ),
    ).toBe(2.5);
  });
});

describe('labels are compared as written', () => {
  it('1 and "1" are two labels, −0 and 0 one', () => {
    expect(accuracy([1, 2, true], ['1', 2, 1])).toBe(1 / 3);
    expect(accuracy([0, 1], [-0, 1])).toBe(1);
    expect(confusionMatrix([1, '1'], ['1', '1'])).toEqual({
      labels: [1, '1'],
      counts: [
        [0, 1],
        [0, 1],
      ],
    });
  });

  it('labels need not be integers (sklearn would call such targets continuous and refuse them)', () => {
    expect(accuracy([0.5, 1.5, 2.5], [0.5, 1.5, 1.5])).toBe(2 / 3);
  });
});

describe('where deltaprop deliberately differs from scikit-learn', () => {
  it('r2 of a constant yTrue is decided on the values, not on their rounded mean', () => {
    // sklearn: mean([0.1, 0.1, 0.1]) = 0.10000000000000002, so its denominator is 3e-34, not 0,
    // and r2_score gives −1.7e31 where force_finite means 0.
    expect(r2([0.1, 0.1, 0.1], [0.1, 0.1, 0.2])).toBe(0);
    expect(r2([0.1, 0.1, 0.1], [0.1, 0.1, 0.1])).toBe(1);
    // Rows of weight 0 do not count: the rest are constant.
    expect(r2([0.1, 5, 0.1], [0.1, 0, 0.3], { sampleWeight: [1, 0, 3] })).toBe(0);
  });

  it('multiclass AUC takes any scores, not only rows summing to 1', () => {
    const c = caseNamed('rocAuc multiclass');
    const scaled = (fixture.datasets.multiclass.scores as number[][]).map((row) => row.map((x) => 3 * x - 1));
    expect(difference(rocAuc(fixture.datasets.multiclass.yTrue as number[], scaled), c.expected)).toBeNull();
  });
});

/** The DeltapropError `f` throws: its argument and its detail. */
function rejected(f: () => unknown): { argument: string; detail: string } {
  const e = errorOf(f);
  expect(e).toBeInstanceOf(DeltapropError);
  const { argument, detail } = e as DeltapropError;
  return { argument, detail };
}

describe('argument errors', () => {
  const y = [0, 1, 1, 0, 2, 2, 1, 0, 2, 1];

  it('yTrue and yPred: labels, as many of one as of the other, at least one', () => {
    expect(rejected(() => accuracy(y, y.slice(1)))).toEqual({ argument: 'yPred', detail: 'expected 10 labels (one per row of yTrue), got 9' });
    expect(rejected(() => f1([], []))).toEqual({ argument: 'yTrue', detail: 'expected at least 1 label, got none' });
    expect(rejected(() => accuracy([0, NaN], [0, 1]))).toEqual({ argument: 'yTrue[1]', detail: 'expected a label (a string, a finite number or a boolean), got NaN' });
    expect(rejected(() => recall([0, 1], [0, null as never])).argument).toBe('yPred[1]');
    expect(rejected(() => precision([0, 1], Float64Array.of(0, Infinity))).argument).toBe('yPred[1]');
    expect(rejected(() => balancedAccuracy('01' as never, [0, 1])).argument).toBe('yTrue');
    expect(rejected(() => confusionMatrix([[0], [1]] as never, [0, 1])).argument).toBe('yTrue[0]');
  });

  it('options: an object of known keys', () => {
    expect(rejected(() => accuracy(y, y, 3 as never))).toMatchObject({ argument: 'options' });
    const typo = rejected(() => accuracy(y, y, { sampleWeights: [] } as never));
    expect(typo.argument).toBe('options.sampleWeights');
    expect(typo.detail).toMatch(/unknown option; expected one of sampleWeight/);
    expect(rejected(() => r2([1, 2], [1, 2], { average: 'macro' } as never)).argument).toBe('options.average');
    expect(rejected(() => rocAuc([0, 1], [0, 1], { zeroDivision: 1 } as never)).argument).toBe('options.zeroDivision');
  });

  it('options.sampleWeight: one finite weight ≥ 0 per row, not all 0', () => {
    const sampleWeight = [1, 1, 1, -1, 1, 1, 1, 1, 1, 1];
    expect(rejected(() => accuracy(y, y, { sampleWeight }))).toEqual({ argument: 'options.sampleWeight[3]', detail: 'expected a finite number ≥ 0, got -1' });
    expect(rejected(() => mse([1, 2], [1, 2], { sampleWeight: [1, NaN] })).argument).toBe('options.sampleWeight[1]');
    expect(rejected(() => logLoss([0, 1], [0.5, 0.5], { sampleWeight: [1] }))).toEqual({ argument: 'options.sampleWeight', detail: 'expected 2 weights (one per row of yTrue), got 1' });
    expect(rejected(() => f1([0, 1], [0, 1], { sampleWeight: [0, 0] }))).toEqual({ argument: 'options.sampleWeight', detail: 'expected at least one weight > 0, got all 0' });
    expect(rejected(() => rocAuc([0, 1], [0, 1], { sampleWeight: 'heavy' as never })).argument).toBe('options.sampleWeight');
  });

  it('options.average, zeroDivision, labels and positiveLabel', () => {
    const average = rejected(() => precision(y, y, { average: 'median' as never }));
    expect(average.argument).toBe('options.average');
    expect(average.detail).toBe("expected one of 'macro', 'micro', 'weighted', 'binary', 'none', got \"median\"");
    expect(rejected(() => f1(y, y, { zeroDivision: 0.5 as never }))).toEqual({ argument: 'options.zeroDivision', detail: 'expected 0 or 1, got 0.5' });
    expect(rejected(() => recall(y, y, { labels: [0, 1, 0] }))).toMatchObject({ argument: 'options.labels[2]' });
    expect(rejected(() => recall(y, y, { labels: [] }))).toMatchObject({ argument: 'options.labels' });
    expect(rejected(() => recall(y, y, { labels: 1 as never }))).toMatchObject({ argument: 'options.labels' });
    expect(rejected(() => recall(y, y, { labels: [0, undefined as never] }))).toMatchObject({ argument: 'options.labels[1]' });
    // 'binary' needs a positive label among the labels, and data of 2 labels at most.
    expect(rejected(() => precision([0, 1], [0, 1], { average: 'binary' })).argument).toBe('options.positiveLabel');
    expect(rejected(() => precision([0, 1], [0, 1], { average: 'binary', positiveLabel: '1' })).argument).toBe('options.positiveLabel');
    expect(rejected(() => precision(y, y, { average: 'binary', positiveLabel: 1 })).argument).toBe('options.average');
    expect(rejected(() => precision([0, 1], [0, 1], { average: 'macro', positiveLabel: 1 })).argument).toBe('options.positiveLabel');
    expect(precision([0, 0], [0, 0], { average: 'binary', positiveLabel: 1, labels: [0, 1] })).toBe(0);
    expect(rejected(() => confusionMatrix([0, 1], [0, 1], { labels: [5, 6] }))).toMatchObject({ argument: 'options.labels' });
  });

  it('rocAuc: scores of the right shape, every label with true rows', () => {
    expect(rejected(() => rocAuc([0, 0], [0.1, 0.2])).argument).toBe('yTrue');
    expect(
      rejected(() =>
        rocAuc(
          [0, 1, 2],
          [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
          { labels: [0, 1, 2, 3] },
        ),
      ),
    ).toMatchObject({ argument: 'scores' });
    const absent = rejected(() =>
      rocAuc(
        [0, 1, 2],
        [
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
        ],
        { labels: [0, 1, 2, 3] },
      ),
    );
    expect(absent.argument).toBe('yTrue');
    expect(absent.detail).toMatch(/got none of 3,/);
    expect(rejected(() => rocAuc([0, 1], [0.5, 0.5], { sampleWeight: [1, 0] })).argument).toBe('yTrue');
    expect(rejected(() => rocAuc([0, 1, 2], [0.1, 0.5, 0.9])).argument).toBe('scores');
    expect(rejected(() => rocAuc([0, 1], [0.1, 0.5, 0.9]))).toEqual({ argument: 'scores', detail: 'expected 2 rows (one per row of yTrue), got 3' });
    expect(rejected(() => rocAuc([0, 1, 2], [0.1, 0.5, 0.9], { labels: [0, 1] }))).toMatchObject({ argument: 'yTrue[2]' });
    expect(rejected(() => rocAuc([0, 1], [0.1, NaN])).argument).toBe('scores[1]');
    expect(rejected(() => rocAuc([0, 1], [[0.1], [NaN]])).argument).toBe('scores[1][0]');
    expect(rejected(() => rocAuc([0, 1], [0.1, 0.2], { labels: [1] })).argument).toBe('options.labels');
  });

  it("logLoss: a column per label, or the second label's probability alone", () => {
    expect(rejected(() => logLoss([0, 1, 2], [0.1, 0.5, 0.9])).argument).toBe('probabilities');
    expect(
      rejected(() =>
        logLoss(
          [0, 1],
          [
            [0.1, 0.5, 0.4],
            [0.1, 0.5, 0.4],
          ],
        ),
      ).argument,
    ).toBe('probabilities');
    expect(rejected(() => logLoss([0, 0], [0.1, 0.2])).argument).toBe('yTrue');
    expect(rejected(() => logLoss([0, 5], [0.1, 0.2], { labels: [0, 1] })).argument).toBe('yTrue[1]');
    expect(rejected(() => logLoss([0, 1], 0.5 as never)).argument).toBe('probabilities');
  });

  it("regression: finite numbers, yPred of yTrue's shape, r2 of 2 rows or more", () => {
    expect(rejected(() => mae([1, 2, 3], [1, 2]))).toEqual({ argument: 'yPred', detail: 'expected 3 rows (one per row of yTrue), got 2' });
    expect(
      rejected(() =>
        mse(
          [
            [1, 2],
            [3, 4],
          ],
          [[1], [2]],
        ),
      ),
    ).toEqual({ argument: 'yPred', detail: 'expected 2 outputs per row (as yTrue), got 1' });
    expect(rejected(() => rmse([1, NaN], [1, 2])).argument).toBe('yTrue[1]');
    expect(rejected(() => mape([1, 2], ['1', 2] as never)).argument).toBe('yPred[0]');
    expect(rejected(() => r2([1], [1])).argument).toBe('yTrue');
    expect(rejected(() => mae([], [])).argument).toBe('yTrue');
    expect(rejected(() => mae([[], []], [[], []])).argument).toBe('yTrue');
    expect(rejected(() => mae({ rows: 2, cols: 1, data: [1, 2] } as never, [1, 2])).argument).toBe('yTrue.data');
  });
});

describe('the registry fit() will use', () => {
  it('names each metric once, with its direction and what it needs', () => {
    expect(new Set(METRIC_NAMES).size).toBe(18);
    const minimised = METRIC_NAMES.filter((n) => metricDirection(n) === 'min');
    expect(minimised).toEqual(['logLoss', 'mae', 'mse', 'rmse', 'mape']);
    const byKind = (kind: string) => METRIC_NAMES.filter((n) => metricKind(n) === kind);
    expect(byKind('scores')).toEqual(['auc', 'logLoss']);
    expect(byKind('regression')).toEqual(['r2', 'mae', 'mse', 'rmse', 'mape']);
    expect(byKind('labels')).toHaveLength(11);
    expect(rejected(() => metricDirection('accuracyy' as MetricName)).argument).toBe('name');
    expect(rejected(() => metricKind(3 as never)).argument).toBe('name');
  });
});
