// Every behavioural test runs once per backend. The native backend must load
// here: a broken native build fails the suite instead of silently testing js
// twice. DELTAPROP_TEST_BACKENDS=js narrows the run (for machines without a
// compiler), and says so in the test names.
export type BackendName = 'js' | 'native';

const requested = (process.env.DELTAPROP_TEST_BACKENDS ?? 'js,native').split(',').map((s) => s.trim());

export const BACKENDS: BackendName[] = requested.filter((b): b is BackendName => b === 'js' || b === 'native');
