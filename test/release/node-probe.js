'use strict';
// Preloaded (NODE_OPTIONS=--require) into every node process an install
// starts: appends one JSON line, the version of the node running and its
// script, to the file in NODE_PROBE_LOG, so that node-versions.test.ts can
// tell which node ran the package's install script (npm runs it with the
// first node on the PATH, not necessarily its own).
const fs = require('node:fs');

/** The script's real path: a command npm linked into node_modules/.bin runs through a symlink. */
function script() {
  try {
    return fs.realpathSync(process.argv[1]);
  } catch {
    return process.argv[1] ?? null;
  }
}

if (process.env.NODE_PROBE_LOG) {
  fs.appendFileSync(process.env.NODE_PROBE_LOG, `${JSON.stringify({ version: process.version, script: script() })}\n`);
}
