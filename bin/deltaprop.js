#!/usr/bin/env node
'use strict';
// The deltaprop command (src/cli/main.ts, compiled to dist/cli/).
//
// Loading the CLI loads the library, which reads DELTAPROP_BACKEND,
// DELTAPROP_ISA and DELTAPROP_THREADS and throws when one is bad: that is a
// usage error like any other, one line and exit status 2, caught here since
// it happens before main.js can catch anything.
const { printable } = require('../dist/cli/text.js');

let main;
try {
  main = require('../dist/cli/main.js');
} catch (e) {
  // A closed stderr ends the message quietly, as run() would.
  process.stderr.on('error', () => {});
  if (e !== null && typeof e === 'object' && e.name === 'DeltapropError') {
    process.stderr.write(`deltaprop: ${printable(String(e.message))}\n`);
    process.exitCode = 2;
  } else {
    const where = process.env.DELTAPROP_DEBUG === '1' ? `\n${e && e.stack}` : ' (DELTAPROP_DEBUG=1 shows where)';
    process.stderr.write(`deltaprop: internal error while loading: ${printable(String(e && e.message))}${where}\n`);
    process.exitCode = 1;
  }
}
if (main !== undefined) {
  main.run(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
