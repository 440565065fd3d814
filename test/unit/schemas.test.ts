import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without types
import { generateSchemas, render, schemaPath } from '../../scripts/schemas.mjs';

describe('JSON result schemas', () => {
  it('every command result matches its committed snapshot (run node scripts/schemas.mjs to update)', () => {
    const schemas = generateSchemas() as Record<string, unknown>;
    expect(Object.keys(schemas).length).toBeGreaterThan(0);
    for (const [id, schema] of Object.entries(schemas)) {
      const path = schemaPath(id) as string;
      expect(existsSync(path), `schemas/${id}.json is missing`).toBe(true);
      expect(readFileSync(path, 'utf8'), `result shape of ${id} changed`).toBe(render(schema));
    }
  }, 60_000);
});
