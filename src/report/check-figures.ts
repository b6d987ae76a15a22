// The checks of figures measured after training: details.evaluation and
// details.test. Both hold the same figures (loss, accuracy, confusion,
// metrics), read by one function; the test set adds its size, its source and
// each class's scores.
import { DeltapropError } from '../errors.js';
import { checkInteger, checkKnownKeys, checkNumber, checkObject } from '../validate.js';
import { checkArray, checkClassNames, checkText } from './check.js';
import type { ConfusionMatrix, ReportClass, ReportEvaluation, ReportTest } from './figure-types.js';

const FIGURE_KEYS = ['loss', 'accuracy', 'confusion', 'metrics'] as const;

function checkConfusion(name: string, value: unknown): ConfusionMatrix {
  const o = checkObject(name, value);
  checkKnownKeys(name, o, ['labels', 'counts']);
  const labels = checkClassNames(checkArray(`${name}.labels`, o.labels), (i) => `${name}.labels[${i}]`);
  if (labels.length === 0) throw new DeltapropError(`${name}.labels`, 'expected at least one class, got none');
  const counts = checkArray(`${name}.counts`, o.counts, labels.length).map((row, i) =>
    checkArray(`${name}.counts[${i}]`, row, labels.length).map((n, j) => checkInteger(`${name}.counts[${i}][${j}]`, n, 0)),
  );
  return { labels, counts };
}

function checkMetrics(name: string, value: unknown): Record<string, number> {
  // fromEntries makes each name an own property, even one spelled __proto__.
  return Object.fromEntries(
    Object.entries(checkObject(name, value)).map(([key, x]) => {
      checkText(`${name} (a metric's name)`, key);
      return [key, checkNumber(`${name}.${key}`, x)];
    }),
  );
}

/** The figures evaluation and test share, from an object whose keys were checked. */
function readFigures(name: string, o: Record<string, unknown>): ReportEvaluation {
  const figures: ReportEvaluation = { loss: checkNumber(`${name}.loss`, o.loss, { min: 0 }) };
  if (o.accuracy !== undefined) figures.accuracy = checkNumber(`${name}.accuracy`, o.accuracy, { min: 0, max: 1 });
  if (o.confusion !== undefined) figures.confusion = checkConfusion(`${name}.confusion`, o.confusion);
  if (o.metrics !== undefined) figures.metrics = checkMetrics(`${name}.metrics`, o.metrics);
  return figures;
}

export function checkEvaluation(name: string, value: unknown): ReportEvaluation {
  const o = checkObject(name, value);
  checkKnownKeys(name, o, FIGURE_KEYS);
  return readFigures(name, o);
}

function checkClass(name: string, value: unknown): Omit<ReportClass, 'label'> {
  const o = checkObject(name, value);
  checkKnownKeys(name, o, ['label', 'precision', 'recall', 'f1', 'support']);
  const score = (key: 'precision' | 'recall' | 'f1') => checkNumber(`${name}.${key}`, o[key], { min: 0, max: 1 });
  // A weight, not a count, when the rows were weighted: any sum ≥ 0.
  return { precision: score('precision'), recall: score('recall'), f1: score('f1'), support: checkNumber(`${name}.support`, o.support, { min: 0 }) };
}

/**
 * Each class's scores; with a confusion matrix beside them, its classes in
 * its order, so the two tables of a test set name the same rows.
 */
function checkClasses(name: string, value: unknown, confusion: ConfusionMatrix | undefined): ReportClass[] {
  const entries = checkArray(name, value);
  if (entries.length === 0) throw new DeltapropError(name, 'expected at least one class, got none');
  const objects = entries.map((entry, i) => checkObject(`${name}[${i}]`, entry));
  const labels = checkClassNames(
    objects.map((o) => o.label),
    (i) => `${name}[${i}].label`,
  );
  const classes = objects.map((o, i) => ({ label: labels[i], ...checkClass(`${name}[${i}]`, o) }));
  const same = (names: readonly string[]) => names.length === labels.length && names.every((n, i) => n === labels[i]);
  if (confusion !== undefined && !same(confusion.labels)) {
    throw new DeltapropError(name, `expected the confusion matrix's classes in its order (${confusion.labels.join(', ')}), got ${labels.join(', ')}`);
  }
  return classes;
}

export function checkTest(name: string, value: unknown): ReportTest {
  const o = checkObject(name, value);
  checkKnownKeys(name, o, [...FIGURE_KEYS, 'rows', 'source', 'classes']);
  const test: ReportTest = { ...readFigures(name, o), rows: checkInteger(`${name}.rows`, o.rows, 1) };
  if (o.source !== undefined) test.source = checkText(`${name}.source`, o.source);
  if (o.classes !== undefined) test.classes = checkClasses(`${name}.classes`, o.classes, test.confusion);
  return test;
}
