/**
 * What the emitted autoscaler settings say about themselves (docs/capacity-planning.md#emit): every HPA is
 * labelled as managed by relia and annotated with the plan, region, tier, binding policy and where its
 * minimum comes from (`--min`, default `steady`); the result records the format and the `--min` used.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { emitAsg, emitHpa } from '../../../../src/core/capacity/emit.js';
import { computePlan } from '../../../../src/core/capacity/plan.js';
import { parsePlan } from '../../../../src/core/capacity/plan-schema.js';

const STREAMING = new URL('../../../../docs/examples/capacity/streaming-plan.yaml', import.meta.url);
const report = computePlan(parsePlan(readFileSync(STREAMING, 'utf8'), 'streaming-plan.yaml'));
const metadata = (text: string) => parseAllDocuments(text).map((d) => (d.toJS() as { metadata: { labels: Record<string, string>; annotations: Record<string, string> } }).metadata);

describe('emitted HPA metadata', () => {
  it('is labelled managed-by relia and says its minimum is the steady-state need by default', () => {
    const out = emitHpa(report, { tier: 'edge' });
    expect(out.minFrom).toBe('steady');
    const [us] = metadata(out.text);
    expect(us?.labels).toEqual({ 'app.kubernetes.io/managed-by': 'relia' });
    expect(us?.annotations).toEqual({
      'relia.dev/plan': 'streaming',
      'relia.dev/region': 'us-east',
      'relia.dev/tier': 'edge',
      'relia.dev/binding-policy': 'n-plus-one-zone',
      'relia.dev/min-from': 'steady',
    });
  });

  it('records --min required', () => {
    const out = emitHpa(report, { tier: 'edge', minFrom: 'required' });
    expect(out.minFrom).toBe('required');
    expect(metadata(out.text).map((m) => m.annotations['relia.dev/min-from'])).toEqual(['required', 'required', 'required']);
  });
});

describe('emitted HPA text', () => {
  it('keeps a long annotation on one line (no folding at 80 columns)', () => {
    const region = 'a region name with spaces that is long enough to be folded by a yaml writer at eighty columns';
    const long = computePlan(parsePlan(`name: s\nworkload: {peakConcurrentSessions: 1000, bitratePerSession: 1Mbps}\ncache: {hitRatio: 0.5}\ntiers: {edge: {perInstance: {bandwidth: 1Gbps}}}\nregions: [{name: ${region}, share: 1}]\n`, 'p.yaml'));
    expect(emitHpa(long, { tier: 'edge' }).text.split('\n')).toContain(`    relia.dev/region: ${region}`);
  });
});

describe('emitted ASG result', () => {
  it('is format asg with the --min used', () => {
    const out = emitAsg(report, { tier: 'origin' });
    expect(out.format).toBe('asg');
    expect(out.minFrom).toBe('steady');
    expect(emitAsg(report, { tier: 'origin', minFrom: 'required' }).minFrom).toBe('required');
  });
});
