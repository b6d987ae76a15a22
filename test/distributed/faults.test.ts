// Failures under mpirun: a process SIGKILLed mid-loop, and one that hangs.
// The others must reject with a DISTRIBUTED_* DeltapropError soon (the
// issue asks for 30 s at most; a dead process on the same host is seen in
// ~0.1 s, mpirun's SIGTERM follows 1 s after the death), every later call
// must fail too, and mpirun must exit non-zero, so that a job never passes
// over a failure. These bounds are the failure handling's contract, far
// above what it takes, not a measure of speed.
import { expect, it } from 'vitest';
import { releaseSuite } from '../release/prerequisites.js';
import { missingMpi, mpirun, MPI_TEST_TIMEOUT_MS, type Job } from './mpirun.js';

const FAILURES = ['DISTRIBUTED_PEER_DIED', 'DISTRIBUTED_TERMINATED', 'DISTRIBUTED_TIMEOUT'];

/** The survivors' reports, checked alike; returns how long after the fault each one failed (ms). */
function survivors(job: Job, np: number, victim: number, expectedCodes: string[]): number[] {
  expect(job.status, job.output).not.toBe(0);
  const fault = job.reports.find((r) => r.rank === victim && r.event !== undefined);
  expect(fault, job.output).toBeDefined();
  const others = job.reports.filter((r) => r.rank !== victim);
  expect(others.map((r) => r.rank), job.output).toEqual([...Array(np).keys()].filter((r) => r !== victim));
  return others.map((r) => {
    expect(r.error.deltapropError, job.output).toBe(true);
    expect(expectedCodes, job.output).toContain(r.error.code);
    expect(r.later).toMatchObject({ code: 'DISTRIBUTED_BROKEN', deltapropError: true });
    return r.at - fault!.at;
  });
}

for (const np of [2, 3]) {
  releaseSuite(`a process SIGKILLed under mpirun -np ${np}`, missingMpi(), () => {
    it('the others reject with a DISTRIBUTED_* DeltapropError within seconds, and mpirun exits non-zero', async () => {
      const job = await mpirun(np, 'faults.js', { FAULT: 'kill', VICTIM: '1', AT: '30', TIMEOUT: '20' });
      const delays = survivors(job, np, 1, FAILURES);
      console.log(`np ${np}, SIGKILL: survivors failed ${delays.map((d) => `${d} ms`).join(', ')} after it; mpirun exited ${job.status} ${job.ended - job.started} ms after its start`);
      for (const delay of delays) expect(delay).toBeLessThan(15_000);
    }, MPI_TEST_TIMEOUT_MS);
  });
}

releaseSuite('a process that hangs under mpirun -np 3', missingMpi(), () => {
  it('the others reject with DISTRIBUTED_TIMEOUT at the deadline, and mpirun exits non-zero', async () => {
    const job = await mpirun(3, 'faults.js', { FAULT: 'hang', VICTIM: '2', AT: '20', TIMEOUT: '2' });
    const delays = survivors(job, 3, 2, ['DISTRIBUTED_TIMEOUT']);
    console.log(`np 3, hang, deadline 2 s: survivors failed ${delays.map((d) => `${d} ms`).join(', ')} after it`);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(1_900);
      expect(delay).toBeLessThan(15_000);
    }
  }, MPI_TEST_TIMEOUT_MS);
});

releaseSuite('the reducer table when a process dies (mpirun -np 2)', missingMpi(), () => {
  it("wait_all returns the failure, with its code at the start of the message", async () => {
    const job = await mpirun(2, 'faults.js', { FAULT: 'kill', VICTIM: '0', AT: '30', TIMEOUT: '20', VIA: 'reducer' });
    expect(job.status, job.output).not.toBe(0);
    const survivor = job.reports.find((r) => r.rank === 1 && r.error !== undefined);
    expect(survivor, job.output).toBeDefined();
    expect(survivor!.error.status).toBeGreaterThan(0);
    expect(survivor!.error.message).toMatch(/^DISTRIBUTED_(PEER_DIED|TERMINATED|TIMEOUT): /);
    expect(survivor!.later.message).toMatch(/^DISTRIBUTED_BROKEN: the communicator is unusable after an earlier failure: DISTRIBUTED_/);
  }, MPI_TEST_TIMEOUT_MS);
});

releaseSuite('SIGTERM, as mpirun sends it (mpirun -np 2)', missingMpi(), () => {
  it('fails what is in flight with DISTRIBUTED_TERMINATED and exits 143', async () => {
    const job = await mpirun(2, 'faults.js', { FAULT: 'sigterm', VICTIM: '1', AT: '30', TIMEOUT: '20' });
    expect(job.status, job.output).not.toBe(0);
    const victim = job.reports.find((r) => r.rank === 1 && r.error !== undefined);
    expect(victim, job.output).toBeDefined();
    // The sum in flight when the signal's listener ran, or the next one if that sum was already done.
    const terminated = victim!.error.code === 'DISTRIBUTED_TERMINATED' || /DISTRIBUTED_TERMINATED: received SIGTERM/.test(victim!.error.message);
    expect(terminated, job.output).toBe(true);
    expect(victim!.later.code).toBe('DISTRIBUTED_BROKEN');
    expect(job.output).toMatch(/Exit code:\s+143\b/); // mpirun names the first process to fail, and how
  }, MPI_TEST_TIMEOUT_MS);
});
