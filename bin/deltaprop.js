#!/usr/bin/env node
'use strict';
// The deltaprop command (src/cli/main.ts, compiled to dist/cli/).
require('../dist/cli/main.js').run(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
