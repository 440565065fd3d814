// Lint: typescript-eslint's recommended rules plus the layering rules that
// keep src/core pure. (dependency-cruiser checks cycles and cross-layer
// imports too: .dependency-cruiser.cjs.)
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Every node builtin, bare and `node:`-prefixed, with subpaths (fs/promises, stream/web, …). */
const NODE_BUILTINS = ['node:*', ...builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => [m, `${m}/*`])];

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'coverage/**', '.relia-test/**', '.relia-demo/**', 'docs/**', 'oclif.manifest.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', URLSearchParams: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_BUILTINS, message: 'src/core is pure: inject I/O through a port instead.' },
            { group: ['@oclif/*', 'ink', 'react', '@inquirer/*', 'execa', 'ioredis', 'undici', '@aws-sdk/*', '@kubernetes/*'], message: 'src/core must not import the CLI framework, UI or client SDKs.' },
            { group: ['**/cli/**', '**/ui/**', '**/plugins/**', '**/commands/**'], message: 'src/core must not import outer layers.' },
          ],
        },
      ],
      // Globals that reach the process, the clock, the network or randomness. `globalThis`/`global`
      // are banned outright, so `globalThis.process.env` or `globalThis.Date.now()` cannot slip past.
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'src/core is pure: use a port.' },
        { name: 'process', message: 'src/core is pure: pass settings in (no process.env, process.hrtime, process.exit).' },
        { name: 'globalThis', message: 'src/core is pure: no access through globalThis.' },
        { name: 'global', message: 'src/core is pure: no access through global.' },
        { name: 'performance', message: 'src/core takes time from an injected Clock.' },
        { name: 'crypto', message: 'src/core takes randomness from an injected Random.' },
        { name: 'setTimeout', message: 'src/core waits through Clock.sleep.' },
        { name: 'setInterval', message: 'src/core waits through Clock.sleep.' },
        { name: 'setImmediate', message: 'src/core waits through Clock.sleep.' },
        { name: 'require', message: 'src/core imports statically, and only pure modules.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'src/core imports statically, and only pure modules (no dynamic import()).' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/core takes time from an injected Clock: new Date(clock.now()).' },
        { selector: "CallExpression[callee.name='Date']", message: 'src/core takes time from an injected Clock (Date() is the wall clock).' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'src/core is pure: pass settings in.' },
        { object: 'Date', property: 'now', message: 'src/core takes time from an injected Clock.' },
        { object: 'Math', property: 'random', message: 'src/core takes randomness from an injected Random.' },
      ],
    },
  },
  {
    files: ['commands/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/plugins/**', '@relia/plugin-*', 'ioredis', 'undici', '@aws-sdk/*', '@kubernetes/*'], message: 'commands reach adapters only through providers (src/cli/providers.ts).' }] }],
    },
  },
  {
    files: ['.dependency-cruiser.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', 'bin/**/*.js', 'test/fixtures/**/*.js'],
    languageOptions: { sourceType: 'module' },
  },
);
