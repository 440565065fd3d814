// Lint: typescript-eslint's recommended rules plus the layering rules that
// keep src/core pure. (dependency-cruiser checks cycles and cross-layer
// imports too: .dependency-cruiser.cjs.)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
            { group: ['node:*', 'fs', 'fs/*', 'net', 'http', 'https', 'child_process', 'os', 'path', 'zlib', 'dgram', 'tls'], message: 'src/core is pure: inject I/O through a port instead.' },
            { group: ['@oclif/*', 'ink', 'react', '@inquirer/*', 'execa', 'ioredis', 'undici', '@aws-sdk/*', '@kubernetes/*'], message: 'src/core must not import the CLI framework, UI or client SDKs.' },
            { group: ['**/cli/**', '**/ui/**', '**/plugins/**', '**/commands/**'], message: 'src/core must not import outer layers.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'src/core is pure: use a port.' }],
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
