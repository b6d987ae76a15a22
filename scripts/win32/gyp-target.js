'use strict';
// binding.gyp resolved for one OS and architecture, the way gyp would: so that
// the MinGW build of the Windows binary compiles exactly the sources, defines
// and per-file flags that node-gyp does, with binding.gyp the one list of them.
//
// The file is a Python literal (comments, trailing commas), so Python itself
// reads it (ast.literal_eval: no code runs); node-gyp needs python3 anyway.
// Only the parts of gyp's language that binding.gyp uses are understood;
// anything else is an error naming it, never silently left out.
const { execFileSync } = require('node:child_process');

const READ_LITERAL = 'import ast, json, sys; print(json.dumps(ast.literal_eval(open(sys.argv[1], encoding="utf-8").read())))';

/** Keys a target may have that the MinGW build reads. */
const USED = new Set(['target_name', 'type', 'sources', 'defines', 'include_dirs', 'cflags', 'cflags_cc', 'dependencies']);
/** Keys it may have that concern other toolchains only (Xcode, MSVC) or that gyp itself consumes. */
const OTHER_TOOLCHAINS = new Set(['xcode_settings', 'msvs_settings', 'conditions']);

function readGyp(file) {
  return JSON.parse(execFileSync('python3', ['-c', READ_LITERAL, file], { encoding: 'utf8' }));
}

/** Evaluates a condition of the forms binding.gyp uses: `VAR=='value'` or `VAR!='value'`. */
function holds(expression, variables) {
  const match = /^\s*(\w+)\s*(==|!=)\s*['"]([^'"]*)['"]\s*$/.exec(expression);
  if (match === null || !(match[1] in variables)) {
    throw new Error(`binding.gyp: the condition ${JSON.stringify(expression)} is not understood by scripts/win32/gyp-target.js`);
  }
  const equal = variables[match[1]] === match[3];
  return match[2] === '==' ? equal : !equal;
}

/** gyp's merge of one settings dict into another: lists append, dicts merge, anything else is replaced. */
function merge(into, from) {
  for (const [key, value] of Object.entries(from)) {
    if (Array.isArray(value)) into[key] = [...(into[key] ?? []), ...value];
    else if (value !== null && typeof value === 'object') into[key] = merge({ ...(into[key] ?? {}) }, value);
    else into[key] = value;
  }
  return into;
}

/** Settings with their `conditions` applied (recursively) for `variables`. */
function resolve(settings, variables) {
  const { conditions = [], ...rest } = settings;
  let result = rest;
  for (const [expression, then, otherwise] of conditions) {
    const branch = holds(expression, variables) ? then : otherwise;
    if (branch !== undefined) result = merge(result, resolve(branch, variables));
  }
  return result;
}

/** A list with gyp's exclusions applied: `key!` lists what to take out of `key`. */
function excluded(settings, key) {
  const drop = new Set(settings[`${key}!`] ?? []);
  return (settings[key] ?? []).filter((item) => !drop.has(item));
}

/** One target's compile settings: its sources and the defines, include dirs and C++ flags they compile with. */
function compileSettings(target) {
  for (const key of Object.keys(target)) {
    const base = key.replace(/!$/, '');
    if (!USED.has(base) && !OTHER_TOOLCHAINS.has(base)) {
      throw new Error(`binding.gyp: target ${target.target_name} sets "${key}", which the Windows build (scripts/win32/gyp-target.js) does not handle`);
    }
  }
  return {
    name: target.target_name,
    sources: excluded(target, 'sources'),
    defines: excluded(target, 'defines'),
    includeDirs: excluded(target, 'include_dirs'),
    // gyp compiles C++ with cflags then cflags_cc.
    flags: [...excluded(target, 'cflags'), ...excluded(target, 'cflags_cc')],
  };
}

/**
 * The addon target `name` of the gyp file for gyp's `variables` (OS,
 * target_arch): its own compile settings, then each static library it
 * depends on, which (as in gyp) takes target_defaults but not the addon's own
 * defines or flags.
 */
function gypTarget(file, name, variables) {
  const gyp = resolve(readGyp(file), variables);
  const defaults = gyp.target_defaults ?? {};
  const targets = new Map(gyp.targets.map((target) => [target.target_name, target]));
  const settingsOf = (targetName) => {
    const target = targets.get(targetName);
    if (target === undefined) throw new Error(`binding.gyp: no target ${targetName}`);
    return resolve(merge(merge({}, defaults), target), variables);
  };
  const main = settingsOf(name);
  const libraries = (main.dependencies ?? []).map((dependency) => {
    const library = settingsOf(dependency);
    if (library.type !== 'static_library') throw new Error(`binding.gyp: dependency ${dependency} is a ${library.type}, not a static_library`);
    if (library.dependencies?.length) throw new Error(`binding.gyp: ${dependency} has dependencies of its own, which scripts/win32/gyp-target.js does not follow`);
    return compileSettings(library);
  });
  return [compileSettings(main), ...libraries];
}

module.exports = { gypTarget };
