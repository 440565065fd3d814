/**
 * Docs that match the binary (issue 15): every `relia …` command line in
 * README.md and docs/**\/*.md, and every command's own examples, parsed
 * against the commands' manifest: the command exists, each flag exists for it
 * under its current spelling, required flags and arguments are given (or the
 * line asks for --help).
 *
 * docs/commands/ is left out: `npm run readme` generates it from the same
 * command classes (usage, flags, and the examples checked here at their
 * source), so it can only be wrong by being stale, and checking the examples
 * in the classes catches a bad one before the docs are regenerated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandManifest, type ManifestCommand } from '../../helpers/command-manifest.js';
import { checkDocCommand, extractDocCommands, shellWords, type DocCommand } from '../../helpers/doc-commands.js';

const ROOT = resolve(import.meta.dirname, '../../..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === join(ROOT, 'docs/commands') ? [] : markdownFiles(path);
    return e.name.endsWith('.md') ? [path] : [];
  });
}

let commands: ManifestCommand[];
let lines: DocCommand[];

beforeAll(async () => {
  commands = await commandManifest();
  lines = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))].flatMap((f) => extractDocCommands(relative(ROOT, f), readFileSync(f, 'utf8')));
});

const report = (found: Array<{ where: string; problems: string[] }>) => found.flatMap((f) => f.problems.map((p) => `${f.where}: ${p}`));

describe('relia command lines in README.md and docs/', () => {
  it('finds them (code blocks, inline code, multi-line, Kubernetes args)', () => {
    expect(lines.length).toBeGreaterThan(150);
    const files = new Set(lines.map((l) => l.file));
    for (const f of ['README.md', 'docs/cache.md', 'docs/budget.md', 'docs/capacity.md', 'docs/risk.md', 'docs/chaos.md', 'docs/failover.md']) expect(files, f).toContain(f);
    expect(lines.some((l) => l.words[0] === 'cache' && l.words[1] === 'warm' && l.words.includes('--checkpoint') && l.text.includes('$(JOB_COMPLETION_INDEX)'))).toBe(true);
  });

  it('each names a command that exists, with flags it has (current spellings), and what it requires', () => {
    const found = lines.map((l) => ({ where: `${l.file}:${l.line} \`${l.text.slice(0, 90)}\``, problems: checkDocCommand(l, commands) }));
    expect(report(found)).toEqual([]);
  });

  it("and each command's own examples (what `relia CMD --help` and docs/commands show) do too", () => {
    const found = commands.flatMap((c) =>
      c.examples.map((e) => {
        // as typed, or after a pipe or a crontab schedule: `cat h.csv | relia capacity forecast --input -`
        const text = /(?:^|\s)relia\s+(.*)$/.exec(e)?.[1] ?? '';
        return { where: `${c.id} example \`${e.slice(0, 90)}\``, problems: checkDocCommand({ file: c.id, line: 0, words: shellWords(text), text: e, kind: 'block' }, commands) };
      }),
    );
    expect(found.length).toBeGreaterThan(60);
    expect(report(found)).toEqual([]);
  });
});

/** Flags of other tools that the user docs name (not relia's). */
const FOREIGN_FLAGS: Record<string, string> = {
  'default-slo-period': "Sloth's CLI",
  'enable-feature': "Prometheus's server (docs/budget-specs.md, native histograms)",
  urls: 'bench/cache/http.mjs',
};
/** Docs about the project's own scripts (servers, benches, schemas), whose flags are the scripts'. */
const SCRIPT_DOCS = new Set(['docs/test-servers.md', 'docs/performance.md', 'docs/contributing.md', 'docs/testing.md', 'docs/flags.md']);

describe('flags named in prose', () => {
  it('every `--flag` in README.md and the user docs is a current relia flag (or a named other tool’s)', () => {
    const current = new Set(['help', 'version']);
    const deprecated = new Set<string>();
    for (const c of commands)
      for (const f of Object.values(c.flags)) {
        current.add(f.name);
        for (const a of f.aliases) (f.deprecateAliases ? deprecated : current).add(a);
      }
    const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))].map((f) => relative(ROOT, f)).filter((f) => !SCRIPT_DOCS.has(f));
    const problems: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/`--([a-z][a-z0-9-]*)(?![a-z0-9.-]*\*)/g)) {
        const name = m[1] as string;
        const line = text.slice(0, m.index).split('\n').length;
        const known = current.has(name) || (name.startsWith('no-') && current.has(name.slice(3))) || name in FOREIGN_FLAGS;
        // a deprecated spelling may be named only to say it is deprecated
        const context = text.slice(Math.max(0, m.index - 200), m.index + 200);
        if (deprecated.has(name) && !current.has(name) && !/deprecated/.test(context)) problems.push(`${file}:${line}: --${name} is a deprecated spelling`);
        else if (!known && !deprecated.has(name)) problems.push(`${file}:${line}: no relia command has --${name}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the extractor and the check', () => {
  const one = (md: string) => extractDocCommands('x.md', md);
  const check = (md: string) => one(md).flatMap((c) => checkDocCommand(c, commands));

  it('reads $-prompts (then the other lines are output), backslash continuations, quotes, pipes and env assignments', () => {
    const [a] = one(['```console', "$ relia cache warm --source 'prometheus:topk(5, x)' \\", '    --target http --dry-run | tee out.txt', 'relia: warmed 5 keys', '```'].join('\n'));
    expect(a?.words).toEqual(['cache', 'warm', '--source', 'prometheus:topk(5, x)', '--target', 'http', '--dry-run']);
    expect(a?.line).toBe(2);
    expect(one('```console\n$ relia budget check --slo x\nrelia budget check: 2 SLOs\n```')).toHaveLength(1);
    const [b, c, d] = one(['```sh', 'RELIA_ENV=prod relia budget check --slo slos/ && echo ok', '# relia not a command', 'cat keys | relia cache invalidate -s - --yes', 'make && relia version', '```'].join('\n'));
    expect(b?.words).toEqual(['budget', 'check', '--slo', 'slos/']);
    expect(c?.words).toEqual(['cache', 'invalidate', '-s', '-', '--yes']);
    expect(d?.words).toEqual(['version']);
  });

  it('reads synopses: bracketed alternatives are flags, not pipes', () => {
    expect(shellWords('risk score --register FILE [--objective 99.9 | --slo-file SPEC [--slo-id ID]] [--mitigated]')).toEqual([
      'risk', 'score', '--register', 'FILE', '--objective', '99.9', '--slo-file', 'SPEC', '--slo-id', 'ID', '--mitigated',
    ]);
  });

  it('refuses a flag the command lacks, a deprecated spelling, a missing required flag or argument, and an unknown command', () => {
    expect(check('`relia cache warm --base-url http://x --source k`')).toEqual(['relia cache warm: no flag --base-url']);
    expect(check('`relia cache invalidate --keys k.txt`')).toEqual(['relia cache invalidate: --keys is a deprecated spelling of --source']);
    expect(check('`relia capacity queue -r 1/s --service-time 1s`')).toEqual(['relia capacity queue: -r is a deprecated spelling of --arrival-rate']);
    expect(check('```sh\nrelia capacity plan --emit hpa\n```')).toEqual(['relia capacity plan: the required --plan is missing']);
    expect(check('```sh\nrelia chaos run --yes\n```')).toEqual(['relia chaos run: needs FILE']);
    // a mention in prose need not be complete
    expect(check('see `relia capacity plan` and `relia chaos run --yes`')).toEqual([]);
    expect(check('`relia cache wram --source k`')).toEqual(['no command "relia cache wram"']);
  });

  it('accepts help, topics, plugin commands, --no- forms and Kubernetes args of a relia container', () => {
    expect(check('`relia capacity plan --help` `relia cache` `relia budget --help` `relia plugins install x` `relia --version`')).toEqual([]);
    expect(check('`relia cache warm --source k --target http --no-adaptive --no-progress`')).toEqual([]);
    const kube = ['```yaml', 'containers:', '  - command: [relia]', '    args: [cache, warm, --keys, k.txt]', '```'].join('\n');
    expect(check(kube)).toEqual(['relia cache warm: no flag --keys']);
  });
});
