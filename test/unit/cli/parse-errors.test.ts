import { existsSync } from 'node:fs';
import { Errors } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { toReliaError } from '../../../src/cli/base-command.js';
import { describeParseError, type CommandInfo } from '../../../src/cli/parse-errors.js';
import RiskRegister from '../../../commands/risk/register.js';
import { runInProcess } from '../../helpers/in-process.js';

const info: CommandInfo = {
  id: 'budget check',
  bin: 'relia',
  flags: {
    slo: { description: 'SLO spec file or directory (repeatable; default: budget.slos in the config).' },
    prometheus: { description: "Prometheus URL (default: the config environment's metrics.url)." },
    policy: { description: 'Budget policy file. Burn windows come from it.' },
    json: { description: 'Format output as json.' },
  },
  examples: ['<%= config.bin %> budget check --slo slos/ --prometheus http://127.0.0.1:9090'],
};

describe('describeParseError', () => {
  it('a missing required flag is one line with its purpose and an example from the command', () => {
    const e = describeParseError('The following error occurred:\n  Missing required flag slo\nSee more help with --help', info)!;
    expect(e.name).toBe('InputError');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('missing --slo (SLO spec file or directory)');
    expect(e.message).not.toContain('\n');
    expect(e.field).toBe('--slo');
    expect(e.suggestions[0]).toBe('e.g. relia budget check --slo slos/ --prometheus http://127.0.0.1:9090');
  });

  it('several missing flags are listed on the same line', () => {
    const e = describeParseError('The following errors occurred:\n  Missing required flag slo\n  Missing required flag policy\nSee more help with --help', info)!;
    expect(e.message).toBe('missing --slo (SLO spec file or directory), --policy (Budget policy file)');
  });

  it('a flag typo gets "did you mean", with the flag\'s purpose', () => {
    const e = describeParseError('Nonexistent flag: --promethus\nSee more help with --help', info)!;
    expect(e.message).toBe('unknown flag --promethus');
    expect(e.field).toBe('--promethus');
    expect(e.suggestions[0]).toBe('did you mean --prometheus? (Prometheus URL)');
    expect(e.suggestions.at(-1)).toBe('see `relia budget check --help`');
  });

  it('a flag nothing resembles gets no guess; an unknown message is left to the caller', () => {
    const e = describeParseError('Nonexistent flag: --zzzzzzzz\nSee more help with --help', info)!;
    expect(e.suggestions).toEqual(['see `relia budget check --help`']);
    expect(describeParseError('Expected --x=y to be one of: a, b', info)).toBeUndefined();
  });
});

describe('toReliaError names every error as documented', () => {
  it('parse errors are InputError (exit 2), internal errors InternalError (exit 70)', () => {
    const parse = new Errors.CLIError('Nonexistent flag: --promethus') as Errors.CLIError & { parse: unknown };
    parse.parse = {};
    const mapped = toReliaError(parse, 'budget:check', null, { bin: 'relia', flags: info.flags, examples: info.examples });
    expect(mapped.name).toBe('InputError');
    expect(mapped.suggestions[0]).toContain('--prometheus');
    const internal = toReliaError(new TypeError('x is undefined'), 'budget:check', null);
    expect(internal.name).toBe('InternalError');
    expect(internal.exitCode).toBe(70);
    expect(toReliaError(new Errors.CLIError('bad'), 'x', null).name).toBe('InputError');
  });
});

describe('-o is the output format everywhere (docs/flags.md)', () => {
  it('-o FILE names the formats, and --out when the command writes files', () => {
    const e = describeParseError('Expected --output=out.yaml to be one of: table, wide, json, yaml, markdown\nSee more help with --help', {
      ...info,
      id: 'risk register',
      flags: { ...info.flags, out: { description: 'Write the YAML to this file.' } },
    })!;
    expect(e.message).toBe('-o/--output "out.yaml": not an output format; -o is one of table, wide, json, yaml, markdown');
    expect(e.field).toBe('--output');
    expect(e.suggestions[0]).toBe('to write the result to a file: --out out.yaml');
    const plain = describeParseError('Expected --output=xml to be one of: table, wide, json, yaml, markdown', info)!;
    expect(plain.suggestions[0]).toBe('-o json');
  });

  it('through the real parser: risk register -o FILE is exit 2 pointing at --out, and writes nothing', async () => {
    const r = await runInProcess(RiskRegister, ['-i', 'docs/examples/risk/incidents.csv', '-o', 'never-written.yaml']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Try this: to write the result to a file: --out never-written.yaml');
    expect(existsSync('never-written.yaml')).toBe(false);
  });
});
