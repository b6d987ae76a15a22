// Types of scripts/ci/fetch-node-builds.js, for the release checks that run
// those builds (the scripts are plain CommonJS, which the type check does not read).

/** The versions fetched per platform ('linux-x64', 'win-x64'). */
export const BUILDS: Record<string, string[]>;

/** The node executable of a build, whether fetched or not. */
export function executable(platform: string, version: string): string;
