#!/usr/bin/env node
/**
 * JSON Schema snapshots of every command's `--json` result.
 * Each command file exports a `<Something>Result` type (the return type of run()).
 *   node scripts/schemas.mjs          write schemas/<topic>-<verb>.json
 *   node scripts/schemas.mjs --check  exit 1 listing the commands whose result shape changed
 * The test suite runs the same comparison (test/unit/schemas.test.ts).
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function commandFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return commandFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Generate { id → schema } for every command. */
export function generateSchemas() {
  const files = commandFiles(join(root, 'commands')).sort();
  const out = {};
  const seen = new Map();
  // One TypeScript program for all commands: result type names must be unique.
  const generator = createGenerator({
    path: join(root, 'commands/**/*.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    skipTypeCheck: true,
    expose: 'none',
    topRef: false,
    additionalProperties: false,
  });
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const m = /export (?:interface|type) (\w+Result)\b/.exec(text);
    const id = relative(join(root, 'commands'), file).replace(/\.ts$/, '').split('/').join('-');
    if (!m) throw new Error(`${relative(root, file)}: export the run() result type as \`export interface <Name>Result\``);
    if (seen.has(m[1])) throw new Error(`${relative(root, file)}: result type name ${m[1]} is also used by ${seen.get(m[1])}; make it unique`);
    seen.set(m[1], relative(root, file));
    out[id] = generator.createSchema(m[1]);
  }
  return out;
}

export function schemaPath(id) {
  return join(root, 'schemas', `${id}.json`);
}

export function render(schema) {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const schemas = generateSchemas();
  const check = process.argv.includes('--check');
  const changed = [];
  mkdirSync(join(root, 'schemas'), { recursive: true });
  for (const [id, schema] of Object.entries(schemas)) {
    const path = schemaPath(id);
    const text = render(schema);
    const old = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (old === text) continue;
    changed.push(id);
    if (!check) writeFileSync(path, text);
  }
  if (check && changed.length > 0) {
    console.error(`result shape changed for: ${changed.join(', ')}\nrun \`node scripts/schemas.mjs\` and commit schemas/ if the change is intended`);
    process.exit(1);
  }
  console.log(check ? 'schemas up to date' : `wrote ${Object.keys(schemas).length} schemas${changed.length ? ` (${changed.length} changed)` : ''}`);
}
