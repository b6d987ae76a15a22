// Memory asked for before it is allocated. A typed array that cannot be
// allocated is a RangeError from V8, but under an address-space limit
// (ulimit -v) or a small JavaScript heap (--max-old-space-size) the process
// can die instead: V8 aborts when its own heap cannot grow ("heap out of
// memory", "Failed to reserve virtual memory"), or faults in the garbage
// collector, after our buffers took the room it needed. So work that needs
// much memory is measured first and refused with a DeltapropError that says
// how much, while V8 still has room to throw it; what still fails while
// allocating becomes one too.
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { DeltapropError } from './errors.js';

/** Read once: os.totalmem() is a system call, and predict of one row checks memory (it cost a quarter of a 784-128-10 predict). */
const MACHINE_MEMORY = totalmem();

/**
 * The address-space limit (RLIMIT_AS, `ulimit -v`) in bytes, read once from
 * /proc/self/limits; Infinity where there is none or it cannot be read.
 */
const ADDRESS_SPACE_LIMIT = readAddressSpaceLimit();

function readAddressSpaceLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max address space'));
    const soft = line?.slice('Max address space'.length).trim().split(/\s+/)[0];
    const bytes = Number(soft);
    return soft === undefined || soft === 'unlimited' || !Number.isFinite(bytes) ? Infinity : bytes;
  } catch {
    return Infinity;
  }
}

/** The address space this process has mapped (VmSize), in bytes; 0 where it cannot be read. */
function addressSpaceInUse(): number {
  try {
    const match = /^VmSize:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Address space left for V8 after our buffers: its heap grows into it, and
 * measured under ulimit -v (Node 20, x86-64) a process whose buffers left
 * it much less than this aborted or faulted in its next garbage collections.
 */
const V8_RESERVE = 512 * 2 ** 20;

/** What a new worker thread reserves (its V8 isolate, code range and stack): 715 to 843 MiB measured on Node 20, x86-64. */
export const WORKER_ADDRESS_SPACE = 900 * 2 ** 20;

/** Below this a request is not measured (reading /proc costs more than the work); a failure is still caught. */
const SMALL = 16 * 2 ** 20;

/** Bytes as people read them: 1.5 GiB, 300.0 MiB, 12 KiB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/**
 * Bytes of buffers this process may still allocate outside the JavaScript
 * heap: the machine's memory, or under an address-space limit what is left
 * of it once V8 keeps room to grow its heap (`reserve`).
 */
function memoryRoom(reserve: number): { bytes: number; limited: boolean } {
  if (ADDRESS_SPACE_LIMIT === Infinity) return { bytes: MACHINE_MEMORY, limited: false };
  const left = ADDRESS_SPACE_LIMIT - addressSpaceInUse() - reserve;
  return left < MACHINE_MEMORY ? { bytes: Math.max(0, left), limited: true } : { bytes: MACHINE_MEMORY, limited: false };
}

/**
 * Refuses `bytes` of buffers (`what`, asked for by the argument `name`)
 * before anything is allocated when they would not fit: more than the
 * machine's memory, or than an address-space limit leaves. `advice` says
 * what to do instead.
 */
export function checkMemory(name: string, bytes: number, what: string, advice: string): void {
  if (bytes <= SMALL && bytes <= MACHINE_MEMORY) return;
  const room = memoryRoom(V8_RESERVE);
  if (bytes <= room.bytes) return;
  const where = room.limited
    ? `the ${formatBytes(room.bytes)} this process has left under its address-space limit (ulimit -v), keeping ${formatBytes(V8_RESERVE)} for the JavaScript heap`
    : `this machine's ${formatBytes(room.bytes)} of memory`;
  throw new DeltapropError(name, `${what} would take about ${formatBytes(bytes)} of buffers, more than ${where}; ${advice}`);
}

/**
 * Refuses work that builds `bytes` of JavaScript values (strings, arrays)
 * before it starts, when V8's heap has not that much left (its limit is
 * --max-old-space-size), or the address space to grow into it: V8 does not
 * throw when its heap is full, it aborts the process.
 */
export function checkHeap(name: string, bytes: number, what: string, advice: string): void {
  const available = getHeapStatistics().total_available_size;
  if (bytes > available) {
    throw new DeltapropError(
      name,
      `${what} would take about ${formatBytes(bytes)} of JavaScript heap, more than the ${formatBytes(available)} this process has left (node's --max-old-space-size sets the limit); ${advice}`,
    );
  }
  checkMemory(name, bytes, what, advice);
}

/**
 * Refuses to start a worker thread where the address-space limit (ulimit -v)
 * leaves no room for one: V8 aborts the whole process when it cannot reserve
 * a new isolate's memory ("Failed to reserve virtual memory").
 */
export function checkWorkerRoom(name: string, advice: string): void {
  const room = memoryRoom(0);
  if (!room.limited || room.bytes >= WORKER_ADDRESS_SPACE) return;
  throw new DeltapropError(
    name,
    `a worker thread needs about ${formatBytes(WORKER_ADDRESS_SPACE)} of address space, and this process has ${formatBytes(room.bytes)} left under its limit (ulimit -v); ${advice}`,
  );
}

/** V8's messages for an allocation it could not make (a typed array, a buffer, an array or a string too long). */
const ALLOCATION_FAILED = /allocation failed|Invalid typed array length|Invalid array buffer length|Invalid array length|Invalid string length|Array buffer allocation/i;

/** Whether `e` is V8's RangeError for an allocation it could not make. */
export function isAllocationFailure(e: unknown): e is RangeError {
  return e instanceof RangeError && ALLOCATION_FAILED.test(e.message);
}

/**
 * `e` as a DeltapropError naming `name` and the size when it is a failed
 * allocation (`bytes` of `what`, or null when the size is not known here);
 * any other error as it is.
 */
export function allocationError(e: unknown, name: string, bytes: number | null, what: string, advice: string): unknown {
  if (!isAllocationFailure(e)) return e;
  const size = bytes === null ? '' : ` (about ${formatBytes(bytes)})`;
  return new DeltapropError(name, `could not allocate ${what}${size}: ${e.message}; ${advice}`);
}

/** A zeroed Float64Array of `length` elements, checked against the memory first; a failure is a DeltapropError naming `name` and the size. */
export function allocateFloat64(name: string, length: number, what: string, advice: string): Float64Array {
  checkMemory(name, length * 8, what, advice);
  try {
    return new Float64Array(length);
  } catch (e) {
    throw allocationError(e, name, length * 8, what, advice);
  }
}
