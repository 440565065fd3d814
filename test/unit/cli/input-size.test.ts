import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { checkInputSize, maxInputBytes, readTextInput } from '../../../src/cli/files.js';
import { readSloInputs } from '../../../src/cli/slo-files.js';
import { ReliaError } from '../../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'relia-input-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.RELIA_MAX_INPUT_SIZE;
});

function thrown(fn: () => unknown): ReliaError {
  try {
    fn();
  } catch (e) {
    expect(ReliaError.is(e)).toBe(true);
    return e as ReliaError;
  }
  throw new Error('expected an error');
}

describe('input size limit', () => {
  it('is 8 MiB by default, RELIA_MAX_INPUT_SIZE when set, and a bad value names the variable', () => {
    expect(maxInputBytes({})).toBe(8 * 1024 * 1024);
    expect(maxInputBytes({ RELIA_MAX_INPUT_SIZE: '256MiB' })).toBe(256 * 1024 * 1024);
    expect(thrown(() => maxInputBytes({ RELIA_MAX_INPUT_SIZE: 'lots' })).message).toContain('RELIA_MAX_INPUT_SIZE');
  });

  it('refuses a file over the limit before reading it: exit 2 naming the flag, the file, its size and how to raise the limit', () => {
    const big = join(dir, 'incidents.csv');
    writeFileSync(big, 'x'.repeat(4096));
    process.env.RELIA_MAX_INPUT_SIZE = '2KiB';
    const e = thrown(() => readTextInput(big, '--incidents'));
    expect(e.exitCode).toBe(2);
    expect(e.field).toBe('--incidents');
    expect(e.message).toMatch(new RegExp(`^--incidents ${big}: the file is [0-9.]+ MiB, over the [0-9.]+ MiB relia reads whole$`));
    expect(e.suggestions.join(' ')).toContain('RELIA_MAX_INPUT_SIZE=');
    delete process.env.RELIA_MAX_INPUT_SIZE;
    expect(readTextInput(big, '--incidents')).toHaveLength(4096);
  });

  it('applies to SLO spec files too', () => {
    const spec = join(dir, 'slo.yaml');
    writeFileSync(spec, `# ${'y'.repeat(3000)}\n`);
    process.env.RELIA_MAX_INPUT_SIZE = '1KiB';
    expect(thrown(() => readSloInputs([spec])).field).toBe('--slo');
  });

  it('checkInputSize passes at the limit and refuses one byte over', () => {
    expect(() => checkInputSize('f', '--plan', 1024, 1024)).not.toThrow();
    expect(thrown(() => checkInputSize('f', '--plan', 1025, 1024)).exitCode).toBe(2);
  });
});
