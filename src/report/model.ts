// The report's model section: the layer table and the network's settings.
// Parameter counts come from each layer's own shape (fanIn × fanOut weights,
// fanOut biases), and the total from network.params, the buffer the engine
// really trains, so a disagreement between the two would show.
import type { Network } from '../network.js';
import type { ResolvedOptimizer } from '../optimizers.js';
import { escapeHtml, factList, formatInteger, formatNumber } from './format.js';
import { headerRow, numberCell, rowHeader, tableHtml } from './table.js';

/** The optimizer and every setting it ran with, e.g. "adam (β₁ 0.9, β₂ 0.999, ε 1e-8)". */
export function describeOptimizer(optimizer: ResolvedOptimizer): string {
  switch (optimizer.type) {
    case 'sgd':
      if (optimizer.momentum === 0) return 'sgd (no momentum)';
      return `sgd (momentum ${formatNumber(optimizer.momentum)}${optimizer.nesterov ? ', Nesterov' : ''})`;
    case 'adam':
      return `adam (β₁ ${formatNumber(optimizer.beta1)}, β₂ ${formatNumber(optimizer.beta2)}, ε ${formatNumber(optimizer.epsilon)})`;
    case 'adamw':
      return `adamw (β₁ ${formatNumber(optimizer.beta1)}, β₂ ${formatNumber(optimizer.beta2)}, ε ${formatNumber(optimizer.epsilon)}, weight decay ${formatNumber(optimizer.weightDecay)})`;
    case 'rmsprop':
      return `rmsprop (α ${formatNumber(optimizer.alpha)}, ε ${formatNumber(optimizer.epsilon)})`;
  }
}

function layerTable(network: Network): string {
  const last = network.layers.length - 1;
  const count = (n: number, attribute = '') => numberCell(formatInteger(n), attribute);
  const body = network.layers.map((layer, i) => {
    const weights = layer.fanIn * layer.fanOut;
    const biases = layer.biases === null ? 0 : layer.biases.length;
    const role = i === last ? 'output' : 'hidden';
    return (
      `<tr data-layer="${i}">${rowHeader(`${i} <span class="muted">${role}</span>`)}` +
      `${count(layer.fanIn)}${count(layer.fanOut, ` data-units="${layer.fanOut}"`)}<td>${escapeHtml(layer.activation)}</td>` +
      `${count(weights)}${count(biases)}${count(weights + biases, ` data-parameters="${weights + biases}"`)}</tr>`
    );
  });
  const total = network.params.length;
  return tableHtml({
    className: 'layers',
    caption: `Layers (the input is ${formatInteger(network.inputs)} values a row)`,
    head: headerRow([
      ['layer', false],
      ['inputs', true],
      ['units', true],
      ['activation', false],
      ['weights', true],
      ['biases', true],
      ['parameters', true],
    ]),
    body,
    foot: `<tr><th scope="row" colspan="6">total</th>${count(total, ` data-total-parameters="${total}"`)}</tr>`,
  });
}

export function modelSection(network: Network, optimizer: ResolvedOptimizer | null): string {
  const facts: [string, string][] = [
    ['loss', `${escapeHtml(network.loss)} <span class="muted">(${escapeHtml(network.reduction)} over a batch)</span>`],
    ['optimizer', optimizer === null ? '<span class="muted">not given</span>' : escapeHtml(describeOptimizer(optimizer))],
    ['input scaling', network.inputScaling === null ? 'none' : escapeHtml(network.inputScaling)],
    ['L2 penalty λ', network.l2 === 0 ? 'none' : escapeHtml(formatNumber(network.l2))],
    ['biases', network.bias ? 'yes' : 'no'],
    ['initialisation', `${escapeHtml(network.init)} <span class="muted">(seed ${network.seed})</span>`],
    ['parameters', formatInteger(network.params.length)],
  ];
  return `<section id="model"><h2>Model</h2>${factList(facts)}${layerTable(network)}</section>`;
}
