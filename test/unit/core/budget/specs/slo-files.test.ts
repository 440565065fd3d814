/** src/cli/slo-files.ts: reading --slo files and directories (kept next to the spec tests it feeds). */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSloInputs } from '../../../../../src/cli/slo-files.js';
import { inputError } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'relia-slo-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(rel: string, text = `# ${rel}\n`): string {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('readSloInputs', () => {
  it('walks directories recursively for *.yaml and *.yml in code-point order, skipping hidden entries', () => {
    file('tree/b.yaml');
    file('tree/a.yml');
    file('tree/Z.YAML');
    file('tree/notes.txt');
    file('tree/sub/c.yaml');
    file('tree/.hidden/d.yaml');
    file('tree/.e.yaml');
    file('tree/a-sub/x.yaml');
    symlinkSync(join(root, 'tree'), join(root, 'tree', 'sub', 'loop'));
    symlinkSync(join(root, 'nowhere'), join(root, 'tree', 'dangling.yaml'));
    const inputs = readSloInputs([join(root, 'tree')]);
    expect(inputs.map((i) => i.file.slice(root.length + 1))).toEqual(['tree/Z.YAML', 'tree/a-sub/x.yaml', 'tree/a.yml', 'tree/b.yaml', 'tree/sub/c.yaml']);
    expect(inputs[3]!.text).toBe('# tree/b.yaml\n');
  });

  it('reads files as given, in order, each once however reached', () => {
    const f = file('list/one.json', '{}');
    file('list/two.yaml');
    const inputs = readSloInputs([f, join(root, 'list'), join(root, 'list', 'two.yaml'), f]);
    expect(inputs.map((i) => i.file.slice(root.length + 1))).toEqual(['list/one.json', 'list/two.yaml']);
  });

  it('names a missing path, an empty directory and no paths at all (exit 2)', () => {
    const missing = inputError(() => readSloInputs([join(root, 'missing.yaml')]));
    expect(missing.exitCode).toBe(2);
    expect(missing.field).toBe('--slo');
    expect(missing.message).toBe(`--slo ${join(root, 'missing.yaml')}: no such file or directory`);
    mkdirSync(join(root, 'empty', 'deeper'), { recursive: true });
    file('empty/readme.md');
    expect(inputError(() => readSloInputs([join(root, 'empty')])).message).toMatch(/the directory holds no \*\.yaml or \*\.yml files$/);
    expect(inputError(() => readSloInputs([])).suggestions[0]).toMatch(/pass --slo FILE or --slo DIR/);
  });

  it('reports a file it cannot read', () => {
    const dir = file('dir.yaml/inner.yaml');
    // A directory named like a spec file is walked; a path that is a directory where a file is expected is not an error.
    expect(readSloInputs([join(root, 'dir.yaml')]).map((i) => i.file)).toEqual([dir]);
    const err = inputError(() => readSloInputs([join(root, 'tree', 'dangling.yaml')]));
    expect(err.message).toMatch(/no such file or directory/);
  });
});
