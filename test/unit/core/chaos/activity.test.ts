import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActivityRegistry, type ActionDefinition, type ProbeDefinition } from '../../../../src/core/chaos/activity.js';

const noop: ActionDefinition<{ n: number }> = {
  type: 'test.noop',
  summary: 'does nothing',
  args: z.object({ n: z.number() }),
  plan: async () => ({ targets: [], does: 'nothing', undo: 'nothing to undo' }),
  run: async (args) => args.n,
};
const probe: ProbeDefinition<{ v: string }> = {
  type: 'test.echo',
  summary: 'echoes',
  args: z.object({ v: z.string() }),
  plan: async () => ({ targets: [], does: 'reads', undo: 'nothing to undo' }),
  run: async (args) => args.v,
};

describe('ActivityRegistry', () => {
  it('finds actions and probes by type and lists them sorted', () => {
    const r = new ActivityRegistry().addAction(noop).addProbe(probe);
    expect(r.action('test.noop')?.summary).toBe('does nothing');
    expect(r.probe('test.echo')?.summary).toBe('echoes');
    expect(r.action('test.echo')).toBeUndefined();
    expect(r.actionTypes()).toEqual(['test.noop']);
    expect(r.probeTypes()).toEqual(['test.echo']);
    // sorted, not in the order registered (the lists name the known types in error messages)
    r.addAction({ ...noop, type: 'aws.zzz' }).addAction({ ...noop, type: 'test.a' }).addProbe({ ...probe, type: 'http.b' });
    expect(r.actionTypes()).toEqual(['aws.zzz', 'test.a', 'test.noop']);
    expect(r.probeTypes()).toEqual(['http.b', 'test.echo']);
  });
  it('refuses a type registered twice', () => {
    const r = new ActivityRegistry().addAction(noop);
    expect(() => r.addAction(noop)).toThrow(/registered twice/);
    r.addProbe(probe);
    expect(() => r.addProbe(probe)).toThrow(/registered twice/);
  });
});
