// The tasks of Network.fitMany, checked and read once before any training
// starts: a bad task is refused whole, before any network has changed.
// Each task's inputs, targets and options are left for its own fit to check,
// as fit() checks them.
import { DeltapropError, describeValue } from '../errors.js';
import { checkArray, checkKnownKeys, checkObject } from '../validate.js';

/** Enough for every network of a large search; a bound so that a runaway list is refused, not trained. */
export const MAX_FIT_TASKS = 1 << 16;

export interface ReadFitTask<N> {
  network: N;
  inputs: unknown;
  targets: unknown;
  options: unknown;
}

/** The tasks, each a { network, inputs, targets?, options? } with a network given once. */
export function readFitTasks<N>(tasks: unknown, isNetwork: (value: unknown) => value is N): ReadFitTask<N>[] {
  const list = checkArray('tasks', tasks, MAX_FIT_TASKS, 'tasks ({ network, inputs, targets, options })');
  const seen = new Map<N, number>();
  return list.map((value, i) => {
    const name = `tasks[${i}]`;
    const task = checkObject(name, value);
    checkKnownKeys(name, task, ['network', 'inputs', 'targets', 'options']);
    const { network } = task;
    if (!isNetwork(network)) throw new DeltapropError(`${name}.network`, `expected a Network, got ${describeValue(network)}`);
    const earlier = seen.get(network);
    if (earlier !== undefined) throw new DeltapropError(`${name}.network`, `is the network of tasks[${earlier}] too: a network trains in one task at a time`);
    seen.set(network, i);
    if (task.inputs === undefined) throw new DeltapropError(`${name}.inputs`, 'expected the rows to train on (or a chunk source), got undefined');
    return { network, inputs: task.inputs, targets: task.targets, options: task.options };
  });
}
