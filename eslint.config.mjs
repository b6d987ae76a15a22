// ESLint: the recommended sets of ESLint and typescript-eslint (the rules
// that need no type information, so a run takes seconds). Each rule turned
// off or loosened below says why this codebase does otherwise on purpose.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Build outputs and C++ (ESLint does not read .gitignore).
  globalIgnores(['dist/', 'build/', 'build-*/', 'prebuilds/', 'native/', 'test-results/', 'bench/results/', '.cache/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // Taking keys out of an object by rest destructuring names the keys it drops.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // Generator methods cannot be arrow functions: the ones that need the
      // network's private members reach it as `self`.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
      // Matching control characters is the point where it happens: the CLI
      // escapes them before they reach a terminal, and its tests check it did.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      // The library compiles to CommonJS, and a require() inside a function
      // loads a module only on the path that needs it (cli-progress for a
      // terminal, protobufjs for ONNX, the built package in a test) while the
      // function stays synchronous, which import() would not.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: {
      // CommonJS (package.json has no "type": "module"): require is how these files import.
      '@typescript-eslint/no-require-imports': 'off',
      // A CommonJS module's scope is its own, so a global's name may be reused
      // there: crypto and performance required from node:crypto and
      // node:perf_hooks (as Node's documentation writes it), a helper called valueOf.
      'no-redeclare': ['error', { builtinGlobals: false }],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Reference values are written with 17 significant digits (as an
      // independent high-precision evaluation printed them, or to test how
      // literals round-trip): a double keeps fewer, and the rounding is meant.
      'no-loss-of-precision': 'off',
    },
  },
);
