'use strict';
// The package the native test subset checks: the folder named on the command
// line, loaded once and shared by every check module.
const path = require('node:path');

const packageRoot = process.argv[2];
if (!packageRoot) throw new Error('usage: node test/native-subset/run.js <packageRoot>');

module.exports = require(path.resolve(packageRoot));
