/**
 * What a user sees for a bad failover plan file (docs/failover.md#plan-file):
 * the exact message, the field and the fix for each refusal the plan rules
 * add to the schema, schema refusals quoting the value given, unreadable YAML, durations that read as numbers but are not finite, a
 * file that is no mapping, --from/--to; and the optional fields a valid plan
 * carries through normalisation (record name, capacity plan, webhook, SLO
 * policy, regions without capacity).
 */
import { describe, expect, it } from 'vitest';
import { inputError } from '../../../helpers/errors.js';
import { checkDirection, parseFailoverPlan } from '../../../../src/core/failover/plan-schema.js';

const minimal = (extra = '', regions = { east: '{ setIdentifier: use1, capacity: [{ asg: api-use1 }] }', west: '{ setIdentifier: euw1, capacity: [{ asg: api-euw1 }] }' }) => `name: api
dns: { zone: example.com., record: api.example.com }
regions:
  us-east-1: ${regions.east}
  eu-west-1: ${regions.west}
${extra}`;

const PLAN_DOCS = 'see docs/failover.md#plan-file for the plan fields';

describe('plan rules: message, field and fix', () => {
  it.each([
    ['steps that go down', 'steps: [50, 25, 100]', 'steps[1]', 'p.yaml: steps[1]: steps must increase: 25 follows 50', 'list increasing percentages ending at 100, e.g. [25, 50, 100]'],
    ['steps that repeat', 'steps: [25, 50, 50, 100]', 'steps[2]', 'p.yaml: steps[2]: steps must increase: 50 follows 50', 'list increasing percentages ending at 100, e.g. [25, 50, 100]'],
    ['steps that stop short of 100', 'steps: [25, 50, 75]', 'steps', 'p.yaml: steps: the last step must be 100, got 75', 'end the steps at 100, e.g. [50, 100]'],
    ['more healthy regions than the plan has', 'safety: { minHealthyRegions: 3 }', 'safety.minHealthyRegions', 'p.yaml: safety.minHealthyRegions: 3 healthy regions are required but the plan has 2', 'lower safety.minHealthyRegions'],
    [
      'a capacity plan with an entry that names no tier',
      'capacity: { plan: cap.yaml }',
      'regions.us-east-1.capacity[0].tier',
      '2 problems:\n  p.yaml: regions.us-east-1.capacity[0].tier: capacity.plan is set, so each capacity entry must name its capacity-plan tier\n  p.yaml: regions.eu-west-1.capacity[0].tier: capacity.plan is set, so each capacity entry must name its capacity-plan tier',
      'add tier: origin (or edge, ...) to the entry',
    ],
  ])('%s', (_what, extra, field, message, fix) => {
    const e = inputError(() => parseFailoverPlan(minimal(extra), 'p.yaml'));
    expect(e.message).toBe(message);
    expect(e.field).toBe(field);
    expect(e.file).toBe('p.yaml');
    expect(e.suggestions).toEqual([fix, PLAN_DOCS]);
  });

  it('two regions on one weighted record', () => {
    const e = inputError(() => parseFailoverPlan(minimal('', { east: '{ setIdentifier: shared }', west: '{ setIdentifier: shared }' }), 'p.yaml'));
    expect(e.message).toBe('p.yaml: regions.eu-west-1.setIdentifier: set identifier "shared" is already region us-east-1\'s');
    expect(e.field).toBe('regions.eu-west-1.setIdentifier');
    expect(e.suggestions).toEqual(['give each region its own weighted record', PLAN_DOCS]);
  });

  it('a duration of digits and a unit that is too large to be finite is refused like any bad duration', () => {
    const e = inputError(() => parseFailoverPlan(minimal(`bake: ${'9'.repeat(400)}s`), 'p.yaml'));
    expect(e.message).toBe('p.yaml: bake: expected a duration such as 0s, 30s, 5m or 1h');
    expect(e.field).toBe('bake');
  });

  it.each([
    ['lock.ttl', 'lock: { ttl: 0s }'],
    ['guardInterval', 'guardInterval: 0ms'],
    ['capacity.timeout', 'capacity: { timeout: 0m0s }'],
    ['lock.ttl', `lock: { ttl: ${'9'.repeat(400)}s }`],
  ])('%s of zero (or no finite time) is refused naming the file and field: only bake may be 0s', (field, extra) => {
    const e = inputError(() => parseFailoverPlan(minimal(extra), 'p.yaml'));
    expect(e.message).toBe(`p.yaml: ${field}: expected a duration above zero such as 30s, 5m or 1h`);
    expect(e.field).toBe(field);
    expect(e.file).toBe('p.yaml');
    expect(e.suggestions).toEqual([PLAN_DOCS]);
  });
});

describe('schema refusals quote what the file gave', () => {
  it.each([
    ['a name that is no string', minimal().replace('name: api', 'name: 42'), 'name', 'p.yaml: name: expected string, got 42'],
    ['an approval that is no choice', minimal('safety: { approval: always }'), 'safety.approval', 'p.yaml: safety.approval: expected one of "tty", "none", got "always"'],
    ['no dns', minimal().replace(/dns: .*\n/, ''), 'dns', 'p.yaml: dns: required: expected object'],
    ['one region', minimal().replace(/ {2}eu-west-1: .*\n/, ''), 'regions', 'p.yaml: regions: expected at least two regions'],
  ])('%s', (_what, text, field, message) => {
    const e = inputError(() => parseFailoverPlan(text, 'p.yaml'));
    expect(e.message).toBe(message);
    expect(e.field).toBe(field);
    expect(e.suggestions).toEqual([PLAN_DOCS]);
  });

  it('YAML that does not parse: exit 2 on --plan, naming the file', () => {
    const e = inputError(() => parseFailoverPlan('name: [', 'p.yaml'));
    expect(e.message).toMatch(/^p\.yaml: not readable as YAML or JSON: \S/);
    expect(e.field).toBe('--plan');
    expect(e.file).toBe('p.yaml');
    expect(e.suggestions).toEqual(['fix the YAML syntax', 'see docs/failover.md#plan-file']);
  });
});

describe('a file that is no mapping', () => {
  it.each([
    ['a list', '- name: api', 'a list'],
    ['a number', '42', '42'],
    ['a string', 'api', '"api"'],
    ['an empty file', '', 'null'],
  ])('%s: exit 2 on --plan with where to start', (_what, text, got) => {
    const e = inputError(() => parseFailoverPlan(text, 'p.yaml'));
    expect(e.message).toBe(`p.yaml: expected a mapping with name, dns, regions, ... got ${got}`);
    expect(e.field).toBe('--plan');
    expect(e.file).toBe('p.yaml');
    expect(e.suggestions).toEqual(['start from docs/examples/failover/playback-api.yaml', 'see docs/failover.md#plan-file']);
  });
});

describe('--from and --to', () => {
  const plan = parseFailoverPlan(minimal(), 'p.yaml');

  it.each([
    ['--from', 'us-west-2', 'eu-west-1'],
    ['--to', 'us-east-1', 'ap-south-1'],
  ])('%s names a region the plan does not have', (flag, from, to) => {
    const e = inputError(() => checkDirection(plan, from, to));
    expect(e.message).toBe(`${flag} ${flag === '--from' ? from : to}: not a region of plan api`);
    expect(e.field).toBe(flag);
    expect(e.file).toBe('p.yaml');
    expect(e.suggestions).toEqual(['use one of: us-east-1, eu-west-1']);
  });

  it('the same region twice', () => {
    const e = inputError(() => checkDirection(plan, 'eu-west-1', 'eu-west-1'));
    expect(e.message).toBe('--from and --to are both eu-west-1');
    expect(e.field).toBe('--to');
    expect(e.suggestions).toEqual(['name the region traffic moves to, different from --from']);
  });
});

describe('what a valid plan carries', () => {
  it.each([
    ['api.example.com', 'api.example.com.'],
    ['api.example.com.', 'api.example.com.'],
    [' API.Example.COM ', 'api.example.com.'],
  ])('record %j is used as %s (fully qualified, lower case)', (record, fqdn) => {
    expect(parseFailoverPlan(minimal().replace('record: api.example.com', `record: "${record}"`), 'p.yaml').record).toBe(fqdn);
  });

  it('the capacity plan, webhook and SLO policy it names', () => {
    const plan = parseFailoverPlan(
      minimal('capacity: { plan: cap.yaml }\nnotify: { webhook: "https://hooks.example.com/failover" }\nsloPolicy: policy.yaml', { east: '{ setIdentifier: use1, capacity: [{ asg: api-use1, tier: origin }] }', west: '{ setIdentifier: euw1, capacity: [{ asg: api-euw1, tier: origin }] }' }),
      'p.yaml',
    );
    expect(plan.capacity).toEqual({ percentToMatch: 100, timeoutMs: 900_000, plan: 'cap.yaml', scaleBackOnRollback: false });
    expect(plan.notify).toEqual({ webhook: 'https://hooks.example.com/failover' });
    expect(plan.sloPolicy).toBe('policy.yaml');
  });

  it('a region without capacity entries scales nothing, also with a capacity plan', () => {
    const plan = parseFailoverPlan(minimal('capacity: { plan: cap.yaml }', { east: '{ setIdentifier: use1 }', west: '{ setIdentifier: euw1, capacity: [{ asg: api-euw1, tier: origin }] }' }), 'p.yaml');
    expect(plan.regions['us-east-1']!.capacity).toEqual([]);
    expect(plan.regions['eu-west-1']!.capacity).toEqual([{ kind: 'asg', name: 'api-euw1', region: 'eu-west-1', tier: 'origin', field: 'regions.eu-west-1.capacity[0].asg' }]);
  });
});
