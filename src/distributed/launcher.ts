// Whether an MPI launcher started this process, from the environment alone,
// before (and instead of) calling MPI: MPI_Init without a launcher makes a
// "singleton" that forks an orted daemon, and kills the process when it
// cannot (FINDINGS §1). Without a launcher, deltaprop/distributed runs a
// world of one process and never calls MPI.

export interface Launcher {
  /** Which variable told: `OMPI_COMM_WORLD_SIZE`, `PMI_SIZE`, `SLURM_STEP_NUM_TASKS` or `PMIX_RANK`. */
  readonly variable: string;
  /** The number of processes, when the launcher says it before MPI_Init (PMIx alone does not). */
  readonly size: number | null;
}

// The launchers' own variables, in the order they are trusted: Open MPI's
// mpirun, Hydra's (MPICH, Intel MPI), srun's (set for the tasks of a job
// step, not in the batch script itself), then PMIx, which gives no size.
const SIZE_VARIABLES = ['OMPI_COMM_WORLD_SIZE', 'PMI_SIZE', 'SLURM_STEP_NUM_TASKS'] as const;

export function detectLauncher(env: NodeJS.ProcessEnv = process.env): Launcher | null {
  for (const variable of SIZE_VARIABLES) {
    const size = Number(env[variable]);
    if (env[variable] !== undefined && Number.isInteger(size) && size >= 1) return { variable, size };
  }
  return env.PMIX_RANK !== undefined ? { variable: 'PMIX_RANK', size: null } : null;
}
