// Failures under mpirun: a process SIGKILLed mid-loop, and one that hangs.
// The others must reject with a DISTRIBUTED_* DeltapropError soon (the
// issue asks for 30 s at most; a dead process on the same host is seen in
// ~0.1 s), every later call must fail too, and mpirun must exit non-zero, so
// that a job never passes over a failure.
//
// Nothing here waits for a time. The failing process holds mpirun
// (fixtures/report.js holdLauncher) until the others have reported, so that
// mpirun's SIGTERM and SIGKILL, 1 and 2 s after a death, cannot overtake a
// process that the machine's load slowed down; the survivors then can only
// have seen the death by watching their peers, which the code says
// (DISTRIBUTED_PEER_DIED), not by a deadline. What is still measured in time
// is bounded only by safety nets far beyond what it takes, each saying so
// when it fails.
import { expect, it } from 'vitest';
import { releaseSuite } from '../release/prerequisites.js';
import { missingMpi, mpirun, MPI_TEST_TIMEOUT_MS, ranksExcept, type Job } from './mpirun.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The contract's bound, far above the ~0.1 s a local death takes to be seen: only a machine stalled for seconds comes near it. */
const SAFETY_NET_MS = 15_000;

/** The survivors' reports, checked alike; returns them. */
function survivors(job: Job, np: number, victim: number, expectedCode: string): Array<Record<string, Any>> {
  expect(job.status, job.output).not.toBe(0);
  const fault = job.reports.find((r) => r.rank === victim && r.event !== undefined);
  expect(fault, job.output).toBeDefined();
  const others = job.reports.filter((r) => r.rank !== victim);
  expect(
    others.map((r) => r.rank),
    job.output,
  ).toEqual(ranksExcept(np, victim));
  for (const r of others) {
    expect(r.error.deltapropError, job.output).toBe(true);
    expect(r.error.code, job.output).toBe(expectedCode);
    expect(r.later, job.output).toMatchObject({ code: 'DISTRIBUTED_BROKEN', deltapropError: true });
  }
  return others;
}

/** How long after the fault each survivor failed (ms: both clocks are this host's). */
function delays(job: Job, victim: number, others: Array<Record<string, Any>>): number[] {
  const fault = job.reports.find((r) => r.rank === victim && r.event !== undefined)!;
  return others.map((r) => r.at - fault.at);
}

for (const np of [2, 3]) {
  releaseSuite(`a process SIGKILLed under mpirun -np ${np}`, missingMpi(), () => {
    it(
      'the others reject with DISTRIBUTED_PEER_DIED (they saw it die), every later call fails, and mpirun exits non-zero',
      async () => {
        const job = await mpirun(np, 'faults.js', { FAULT: 'kill', VICTIM: '1', AT: '30', TIMEOUT: '20' }, { hold: true, reportsFrom: ranksExcept(np, 1) });
        const others = survivors(job, np, 1, 'DISTRIBUTED_PEER_DIED');
        const after = delays(job, 1, others);
        console.log(`np ${np}, SIGKILL: survivors failed ${after.map((d) => `${d} ms`).join(', ')} after it; mpirun exited ${job.status} ${job.ended - job.started} ms after its start`);
        for (const delay of after) expect(delay, `safety net: a survivor failed ${delay} ms after the death (normally ~100 ms)\n${job.output}`).toBeLessThan(SAFETY_NET_MS);
      },
      MPI_TEST_TIMEOUT_MS,
    );
  });
}

releaseSuite('a process that hangs under mpirun -np 3', missingMpi(), () => {
  it(
    'the others reject with DISTRIBUTED_TIMEOUT at the deadline, and mpirun exits non-zero',
    async () => {
      const job = await mpirun(3, 'faults.js', { FAULT: 'hang', VICTIM: '2', AT: '20', TIMEOUT: '2' }, { hold: true, reportsFrom: [0, 1] });
      const others = survivors(job, 3, 2, 'DISTRIBUTED_TIMEOUT');
      console.log(
        `np 3, hang, deadline 2 s: the survivors' last calls failed after ${others.map((r) => `${Math.round(r.pendingMs)} ms`).join(', ')}, ` +
          `${delays(job, 2, others)
            .map((d) => `${d} ms`)
            .join(', ')} after the hang began`,
      );
      for (const r of others) {
        // The call that the hung process never joined, not an earlier one.
        expect(r.iterations, job.output).toBe(20);
        // Each process counts the deadline from its own call: never less than 2 s after the call began.
        expect(r.pendingMs, job.output).toBeGreaterThanOrEqual(2_000);
        expect(r.pendingMs, `safety net: the deadline of 2 s was acted on after ${Math.round(r.pendingMs)} ms\n${job.output}`).toBeLessThan(SAFETY_NET_MS);
      }
    },
    MPI_TEST_TIMEOUT_MS,
  );
});

releaseSuite('the reducer table when a process dies (mpirun -np 2)', missingMpi(), () => {
  it(
    'wait_all returns the failure, with its code at the start of the message',
    async () => {
      const job = await mpirun(2, 'faults.js', { FAULT: 'kill', VICTIM: '0', AT: '30', TIMEOUT: '20', VIA: 'reducer' }, { hold: true, reportsFrom: [1] });
      expect(job.status, job.output).not.toBe(0);
      const survivor = job.reports.find((r) => r.rank === 1 && r.error !== undefined);
      expect(survivor, job.output).toBeDefined();
      expect(survivor!.error.status).toBeGreaterThan(0);
      expect(survivor!.error.message).toMatch(/^DISTRIBUTED_PEER_DIED: /);
      expect(survivor!.later.message).toMatch(/^DISTRIBUTED_BROKEN: the communicator is unusable after an earlier failure: DISTRIBUTED_PEER_DIED/);
    },
    MPI_TEST_TIMEOUT_MS,
  );
});

releaseSuite('SIGTERM, as mpirun sends it (mpirun -np 2)', missingMpi(), () => {
  it(
    'fails what is in flight with DISTRIBUTED_TERMINATED and exits 143',
    async () => {
      const job = await mpirun(2, 'faults.js', { FAULT: 'sigterm', VICTIM: '1', AT: '30', TIMEOUT: '20' });
      expect(job.status, job.output).not.toBe(0);
      const victim = job.reports.find((r) => r.rank === 1 && r.error !== undefined);
      expect(victim, job.output).toBeDefined();
      // The sum in flight when the signal's listener ran, or the next one if that sum was already done.
      const terminated = victim!.error.code === 'DISTRIBUTED_TERMINATED' || /DISTRIBUTED_TERMINATED: received SIGTERM/.test(victim!.error.message);
      expect(terminated, job.output).toBe(true);
      expect(victim!.later.code).toBe('DISTRIBUTED_BROKEN');
      expect(job.output).toMatch(/Exit code:\s+143\b/); // mpirun names the first process to fail, and how
      if (victim!.exitHeld) console.log("SIGTERM: the listener's exit (0.5 s after the signal) came before the report, and waited for it");
    },
    MPI_TEST_TIMEOUT_MS,
  );
});
