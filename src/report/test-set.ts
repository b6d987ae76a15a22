// The report's test-set section: the model's figures on rows it never
// trained on (details.test), with each class's scores and the confusion
// matrix. `deltaprop evaluate --report` writes a page of this section alone.
import { classScoreTable } from './class-scores.js';
import { confusionTable } from './confusion.js';
import type { ReportTest } from './details.js';
import { figureTable, measuredFigures } from './figures.js';
import { escapeHtml, factList, formatInteger } from './format.js';

export function testSection(test: ReportTest | null): string {
  if (test === null) return '';
  const facts: [string, string][] = [['rows', formatInteger(test.rows)]];
  if (test.source !== undefined) facts.push(['source', `<code>${escapeHtml(test.source)}</code>`]);
  const figures = figureTable(measuredFigures('test', test, 'the test set'), 'Figures on the test set');
  const classes = test.classes === undefined ? '' : classScoreTable(test.classes);
  const confusion = test.confusion === undefined ? '' : confusionTable(test.confusion);
  return `<section id="test"><h2>Test set</h2>${factList(facts)}${figures}${classes}${confusion}</section>`;
}
