/**
 * docs/flags.md against the commands' manifest: every flag, short char and
 * alias of every command is in the glossary, with the commands that have it,
 * and one short char stands for one long name (issue 15, "One meaning per flag").
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandManifest, type ManifestCommand } from '../../helpers/command-manifest.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const DOC = readFileSync(resolve(ROOT, 'docs/flags.md'), 'utf8');

/** The cells of a Markdown table row (a `\|` inside a cell is a literal bar). */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replaceAll('\\|', '|'));
}

/** Rows of the tables in the section that starts at `heading`, up to the next heading of the same or a higher level. */
function sectionRows(heading: string): string[][] {
  const start = DOC.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/flags.md has no section "${heading}"`);
  const level = heading.indexOf(' ');
  const rest = DOC.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level}} `));
  return (end < 0 ? rest : rest.slice(0, end))
    .split('\n')
    .filter((l) => /^\|\s*`-/.test(l))
    .map(cells);
}

const code = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
const commandsOf = (cell: string, all: string[]): string[] => (cell === 'every command' ? all : cell.split(/,\s*/)).slice().sort();

interface GlossaryRow {
  flag: string;
  short: string | undefined;
  value: string;
  meaning: string;
  commands: string[];
}

let commands: ManifestCommand[];
let ids: string[];
let glossary: Map<string, GlossaryRow>;
let duplicates: string[];

beforeAll(async () => {
  commands = await commandManifest();
  ids = commands.map((c) => c.id).sort();
  glossary = new Map();
  duplicates = [];
  const allFlags = sectionRows('## All flags').filter((r) => r.length === 5);
  for (const [flag, short, value, meaning, cmds] of allFlags as Array<[string, string, string, string, string]>) {
    const name = (code(flag)[0] ?? '').replace(/^--/, '');
    if (glossary.has(name)) duplicates.push(name);
    glossary.set(name, { flag: name, short: code(short)[0]?.replace(/^-/, ''), value, meaning, commands: commandsOf(cmds, ids) });
  }
});

/** (command, flag) for every flag of every command. */
function uses(): Array<{ id: string; flag: ManifestCommand['flags'][string] }> {
  return commands.flatMap((c) => Object.values(c.flags).map((flag) => ({ id: c.id, flag })));
}

describe('docs/flags.md against the manifest', () => {
  it('reads the commands and the glossary', () => {
    expect(commands.length).toBeGreaterThan(30);
    expect(ids).toContain('cache warm');
    expect(glossary.size).toBeGreaterThan(100);
    expect(duplicates).toEqual([]);
  });

  it('lists every flag with exactly the commands that have it, and nothing that does not exist', () => {
    const actual = new Map<string, string[]>();
    for (const { id, flag } of uses()) actual.set(flag.name, [...(actual.get(flag.name) ?? []), id]);
    const missing = [...actual.keys()].filter((n) => !glossary.has(n)).map((n) => `--${n} (${actual.get(n)?.join(', ')})`);
    expect(missing, 'flags missing from docs/flags.md').toEqual([]);
    const ghosts = [...glossary.keys()].filter((n) => !actual.has(n));
    expect(ghosts, 'docs/flags.md lists flags no command has').toEqual([]);
    for (const [name, row] of glossary) expect(row.commands, `--${name}: its Commands column`).toEqual((actual.get(name) ?? []).sort());
  });

  it('gives each flag a meaning, and the value it takes: — for a switch, exactly its choices for a flag with fixed values', () => {
    for (const row of glossary.values()) expect(row.meaning.length, `--${row.flag}: meaning`).toBeGreaterThan(10);
    for (const { id, flag } of uses()) {
      const row = glossary.get(flag.name);
      if (!row) continue;
      if (flag.type === 'boolean') expect(row.value, `${id} --${flag.name} is a switch`).toBe('—');
      else expect(row.value, `${id} --${flag.name} takes a value`).not.toBe('—');
    }
    const choices = new Map<string, Set<string>>();
    for (const { flag } of uses()) if (flag.options) for (const o of flag.options) choices.set(flag.name, (choices.get(flag.name) ?? new Set()).add(o));
    for (const [name, set] of choices) {
      const listed = (code(glossary.get(name)?.value ?? '')[0] ?? '').split('|');
      expect(listed.sort(), `--${name}: the values listed`).toEqual([...set].sort());
    }
  });

  it('gives each flag the short char the glossary names, and one short char one long name across all commands', () => {
    const longOf = new Map<string, Set<string>>();
    for (const { id, flag } of uses()) {
      if (flag.char === undefined) continue;
      longOf.set(flag.char, (longOf.get(flag.char) ?? new Set()).add(flag.name));
      expect(glossary.get(flag.name)?.short, `${id} --${flag.name} -${flag.char}`).toBe(flag.char);
    }
    const shared = [...longOf].filter(([, names]) => names.size > 1).map(([c, names]) => `-${c}: ${[...names].join(', ')}`);
    expect(shared, 'short chars with more than one long name').toEqual([]);
    for (const row of glossary.values()) if (row.short !== undefined) expect(longOf.get(row.short), `--${row.flag} -${row.short} is used`).toContain(row.flag);
    // -h and -v are oclif's help and version everywhere
    expect(longOf.has('h') || longOf.has('v')).toBe(false);
    // the index of short chars says the same
    const index = new Map<string, string>();
    for (const r of sectionRows('## Short flags')) for (let i = 0; i + 1 < r.length; i += 2) index.set((code(r[i] as string)[0] ?? '').slice(1), code(r[i + 1] as string)[0] ?? '');
    for (const [c, names] of longOf) expect(index.get(c), `## Short flags: -${c}`).toBe(`--${[...names][0]}`);
    expect(index.get('h')).toBe('--help');
    expect(index.get('v')).toBe('--version');
  });

  it('lists exactly the deprecated and other accepted spellings the commands declare', () => {
    const key = (spelling: string, name: string, cmds: string[]) => `${spelling} → --${name} in ${cmds.sort().join(', ')}`;
    const declared = { deprecated: new Map<string, string[]>(), other: new Map<string, string[]>() };
    for (const { id, flag } of uses()) {
      for (const s of [...flag.aliases.map((a) => `--${a}`), ...flag.charAliases.map((c) => `-${c}`)]) {
        const kind = flag.deprecateAliases ? declared.deprecated : declared.other;
        const k = `${s}|${flag.name}`;
        kind.set(k, [...(kind.get(k) ?? []), id]);
      }
    }
    const asList = (m: Map<string, string[]>) => [...m].map(([k, cmds]) => key(k.split('|')[0] as string, k.split('|')[1] as string, cmds)).sort();
    const deprecated = sectionRows('### Deprecated spellings').map(([old, use, cmds, until]) => {
      expect(until, `${old}: stops working in`).toBe('0.3.0');
      return key(code(old as string)[0] as string, (code(use as string)[0] as string).replace(/^--/, ''), (cmds as string).split(/,\s*/));
    });
    expect(deprecated.sort()).toEqual(asList(declared.deprecated));
    const other = sectionRows('### Other accepted spellings').map(([s, same, cmds]) => key(code(s as string)[0] as string, (code(same as string)[0] as string).replace(/^--/, ''), (cmds as string).split(/,\s*/)));
    expect(other.sort()).toEqual(asList(declared.other));
  });

  it('never lets a deprecated short char collide with a current one in the same command', () => {
    for (const c of commands) {
      const current = new Set(Object.values(c.flags).flatMap((f) => (f.char ? [f.char] : [])));
      for (const f of Object.values(c.flags)) for (const a of f.charAliases) expect(current.has(a), `${c.id}: -${a} is both --${f.name} (deprecated) and a current flag`).toBe(false);
    }
  });
});
