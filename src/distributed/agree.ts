// The agreement check: do all processes pass the same values? A collective
// over buffers of different lengths on different processes is undefined
// behaviour in MPI (FINDINGS §5: MPI_ERR_TRUNCATE on one process and a
// segfault on another), so the training loop checks its shapes first.
import { DeltapropError, describeValue } from '../errors.js';
import { checkNumber } from '../validate.js';
import { DistributedError } from './errors.js';
import type { Link } from './link.js';

export async function agreeOn(link: Link, fields: unknown): Promise<void> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new DeltapropError('fields', `expected an object of numbers, got ${describeValue(fields)}`);
  }
  const object = fields as Record<string, unknown>;
  const names = Object.keys(object).sort();
  const values = names.map((name) => checkNumber(`fields.${name}`, object[name]));
  // First the names, in a collective of a fixed length, so that the values'
  // collective has the same length everywhere.
  const shape = await spread(link, [names.length, nameHash(names)]);
  if (shape.min[0] !== shape.max[0] || shape.min[1] !== shape.max[1]) {
    const counts = shape.min[0] === shape.max[0] ? `each passes ${shape.min[0]}` : `from ${shape.min[0]} to ${shape.max[0]} of them`;
    throw new DistributedError('DISTRIBUTED_MISMATCH', 'fields', `the processes pass different field names (${counts})`);
  }
  const { min, max } = await spread(link, values);
  const differing = names.flatMap((name, i) => (min[i] === max[i] ? [] : [`${name} (from ${min[i]} to ${max[i]})`]));
  if (differing.length > 0) {
    throw new DistributedError('DISTRIBUTED_MISMATCH', 'fields', `the processes disagree on ${differing.join(', ')}`);
  }
}

/**
 * Each value's least and greatest over the processes, in one MIN allreduce
 * of [v, -v]: min(-v) = -max(v), exactly for every double (unlike the
 * int64 trick, where -INT64_MIN overflows, negating a double cannot).
 */
async function spread(link: Link, values: number[]): Promise<{ min: number[]; max: number[] }> {
  const n = values.length;
  const buffer = new Float64Array(2 * n);
  values.forEach((value, i) => {
    buffer[i] = value;
    buffer[n + i] = -value;
  });
  await link.allreduce(buffer, 'min');
  return { min: Array.from(buffer.subarray(0, n)), max: Array.from(buffer.subarray(n), (v) => -v) };
}

/** FNV-1a (32 bits: exact in a double) of the names, each ended by a NUL. */
function nameHash(names: string[]): number {
  let hash = 0x811c9dc5;
  for (const name of names) {
    for (const char of `${name}\0`) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  }
  return hash;
}
