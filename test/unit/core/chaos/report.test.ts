// `chaos report`: a journal read back as rows, Markdown (a PR comment: `<` `>` `|` escaped) and JUnit (a CI test report).
// The expected texts are written out by hand from docs/chaos.md#report, not produced by the code under test.
import { describe, expect, it } from 'vitest';
import type { ActivityRun, Journal } from '../../../../src/core/chaos/journal.js';
import { junitJournal, markdownJournal, summarise } from '../../../../src/core/chaos/report.js';

const run = (name: unknown, over: Partial<ActivityRun> = {}): ActivityRun => ({
  activity: name === undefined ? { type: 'probe' } : { type: 'probe', name },
  status: 'succeeded',
  start: '2026-12-03T10:00:00.000Z',
  end: '2026-12-03T10:00:01.000Z',
  duration: 1,
  ...over,
});

/** A relia journal of a run a guard aborted, with a fault left in place. */
function abortedJournal(): Journal {
  return {
    'chaoslib-version': null,
    platform: 'relia',
    node: 'relia',
    experiment: { title: 'Kill a <checkout> pod & watch "p99"' },
    start: '2026-12-03T10:00:00.000Z',
    end: '2026-12-03T10:02:05.000Z',
    duration: 125.04,
    status: 'aborted',
    deviated: false,
    steady_states: {
      before: { steady_state_met: true, probes: [run('p99 under 300 ms', { tolerance_met: true, duration: 0.5 })] },
      after: { steady_state_met: false, probes: [run('p99 under 300 ms', { tolerance_met: false, duration: 0.25 })] },
      during: [
        { steady_state_met: true, probes: [] },
        { steady_state_met: false, probes: [] },
        { steady_state_met: true, probes: [] },
      ],
    },
    run: [run('kill | one pod', { status: 'failed', exception: ['Error: pods "x" is forbidden', 'at line 2'], duration: 2.5 })],
    rollbacks: [run(undefined, { duration: 0.125 })],
    relia: {
      version: '1.0.0',
      format: 'relia',
      exitCode: 5,
      reason: '1 undo/rollback step(s) failed; manual action is needed',
      guardIntervalMs: 5000,
      guards: [{ guard: 'errors', type: 'userImpact', state: 'tripped', message: 'over', at: '2026-12-03T10:01:00.000Z' }],
      abort: { by: 'guard', what: 'errors', message: 'guard errors tripped: 6 % bad', trippedAt: '2026-12-03T10:01:00.000Z', reactionMs: 1200 },
      injections: [{ activity: 'kill', description: 'latency on 127.0.0.1:6379', manualUndo: 'relia chaos undo', injectedAt: '2026-12-03T10:00:30.000Z', undone: false }],
      leftovers: [{ description: 'latency | on 6379', manualUndo: 'kill 4242', error: 'Error: ESRCH' }],
    },
  };
}

describe('summarise', () => {
  it('reads every phase of a relia journal in order, with the guard events, injections and leftovers', () => {
    const s = summarise(abortedJournal());
    expect(s).toStrictEqual({
      title: 'Kill a <checkout> pod & watch "p99"',
      status: 'aborted',
      deviated: false,
      exitCode: 5,
      reason: '1 undo/rollback step(s) failed; manual action is needed',
      start: '2026-12-03T10:00:00.000Z',
      durationSeconds: 125.04,
      abort: { by: 'guard', what: 'errors', message: 'guard errors tripped: 6 % bad', trippedAt: '2026-12-03T10:01:00.000Z', reactionMs: 1200 },
      rows: [
        { phase: 'before', name: 'p99 under 300 ms', status: 'succeeded', toleranceMet: true, durationSeconds: 0.5, error: null },
        { phase: 'method', name: 'kill | one pod', status: 'failed', toleranceMet: null, durationSeconds: 2.5, error: 'Error: pods "x" is forbidden' },
        { phase: 'after', name: 'p99 under 300 ms', status: 'succeeded', toleranceMet: false, durationSeconds: 0.25, error: null },
        { phase: 'rollback', name: '(unnamed)', status: 'succeeded', toleranceMet: null, durationSeconds: 0.125, error: null },
      ],
      during: { checks: 3, met: 2 },
      guards: [{ guard: 'errors', type: 'userImpact', state: 'tripped', message: 'over', at: '2026-12-03T10:01:00.000Z' }],
      injections: [{ activity: 'kill', description: 'latency on 127.0.0.1:6379', manualUndo: 'relia chaos undo', injectedAt: '2026-12-03T10:00:30.000Z', undone: false }],
      leftovers: [{ description: 'latency | on 6379', manualUndo: 'kill 4242', error: 'Error: ESRCH' }],
    });
  });

  it('reads a deviated journal as deviated and only `true` as true', () => {
    expect(summarise({ ...abortedJournal(), deviated: true }).deviated).toBe(true);
    expect(summarise({ ...abortedJournal(), deviated: 'yes' as unknown as boolean }).deviated).toBe(false);
  });

  // chaostoolkit's own journal: no relia section, and whatever its run left out
  const ctk = (status: Journal['status']): Journal => ({ status, start: '2026-12-03T09:00:00Z', duration: 3, experiment: { title: 42 }, run: [run('stop it')] }) as unknown as Journal;

  it.each([
    ['completed', 0],
    ['failed', 1],
    ['aborted', 4],
    ['interrupted', 130],
  ] as const)('gives a chaostoolkit journal that %s exit %i, a title, no reason and empty relia lists', (status, exitCode) => {
    expect(summarise(ctk(status))).toStrictEqual({
      title: '(untitled)',
      status,
      deviated: false,
      exitCode,
      reason: '',
      start: '2026-12-03T09:00:00Z',
      durationSeconds: 3,
      abort: null,
      rows: [{ phase: 'method', name: 'stop it', status: 'succeeded', toleranceMet: null, durationSeconds: 1, error: null }],
      during: { checks: 0, met: 0 },
      guards: [],
      injections: [],
      leftovers: [],
    });
  });

  it('reads a journal with no experiment, no run and no steady states as empty', () => {
    const s = summarise({ status: 'failed', start: 'x', duration: 0, relia: { exitCode: 0, reason: 'r' } } as unknown as Journal);
    expect([s.title, s.exitCode, s.reason, s.rows, s.during]).toStrictEqual(['(untitled)', 0, 'r', [], { checks: 0, met: 0 }]);
  });

  it('reads steady states that are there only in part', () => {
    const s = summarise({ ...ctk('completed'), steady_states: { before: null, after: { steady_state_met: true, probes: [run('after probe')] } } } as unknown as Journal);
    expect(s.rows.map((r) => `${r.phase}:${r.name}`)).toEqual(['method:stop it', 'after:after probe']);
    expect(s.during).toEqual({ checks: 0, met: 0 });
  });
});

describe('markdownJournal', () => {
  it('writes the verdict, the abort with its reaction time, the checks during the method, every row and what to undo by hand', () => {
    expect(markdownJournal(summarise(abortedJournal()))).toBe(
      [
        '### Chaos experiment: Kill a \\<checkout\\> pod & watch "p99"',
        '',
        '**aborted** · exit 5 · 125.0 s · 1 undo/rollback step(s) failed; manual action is needed',
        '',
        'Aborted by guard **errors**: guard errors tripped: 6 % bad (reaction 1200 ms)',
        '',
        'Hypothesis during the method: 2 of 3 checks met',
        '',
        '| Phase | Activity | Status | Tolerance | Duration |',
        '|---|---|---|---|---:|',
        '| before | p99 under 300 ms | ✅ succeeded | met | 0.50 s |',
        '| method | kill \\| one pod | ❌ failed: Error: pods "x" is forbidden |  | 2.50 s |',
        '| after | p99 under 300 ms | ❌ succeeded | not met | 0.25 s |',
        '| rollback | (unnamed) | ✅ succeeded |  | 0.13 s |',
        '',
        '**Still injected: undo by hand**',
        '',
        '- latency \\| on 6379: `kill 4242` (Error: ESRCH)',
        '',
      ].join('\n'),
    );
  });

  it('writes a held, deviated run without an abort line, checks line or leftovers, and an abort without a reaction time', () => {
    const held = summarise({ ...abortedJournal(), status: 'completed', deviated: true, steady_states: { before: null, after: null, during: [] }, run: [], rollbacks: [], relia: { ...abortedJournal().relia, exitCode: 1, reason: 'deviated', abort: undefined, leftovers: [] } });
    expect(markdownJournal(held)).toBe(['### Chaos experiment: Kill a \\<checkout\\> pod & watch "p99"', '', '**completed** (deviated) · exit 1 · 125.0 s · deviated', '', '| Phase | Activity | Status | Tolerance | Duration |', '|---|---|---|---|---:|', ''].join('\n'));
    const j = abortedJournal();
    j.relia.abort = { by: 'halt', what: 'halt', message: 'halted: freeze', trippedAt: 'x' };
    expect(markdownJournal(summarise(j))).toContain('\nAborted by halt **halt**: halted: freeze\n\n');
  });
});

describe('junitJournal', () => {
  it('makes one test case per activity and one for the experiment; a failed activity, a probe out of tolerance and a run that did not hold fail', () => {
    expect(junitJournal(summarise(abortedJournal()))).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="relia chaos" tests="5" failures="3">',
        '  <testsuite name="Kill a &lt;checkout&gt; pod &amp; watch &quot;p99&quot;" tests="5" failures="3" timestamp="2026-12-03T10:00:00.000Z" time="125.040">',
        '    <testcase classname="chaos" name="before: p99 under 300 ms" time="0.500"/>',
        '    <testcase classname="chaos" name="method: kill | one pod" time="2.500">',
        '      <failure message="Error: pods &quot;x&quot; is forbidden">Error: pods &quot;x&quot; is forbidden</failure>',
        '    </testcase>',
        '    <testcase classname="chaos" name="after: p99 under 300 ms" time="0.250">',
        '      <failure message="tolerance not met">tolerance not met</failure>',
        '    </testcase>',
        '    <testcase classname="chaos" name="rollback: (unnamed)" time="0.125"/>',
        '    <testcase classname="chaos" name="experiment" time="125.040">',
        '      <failure message="aborted (exit 5)">1 undo/rollback step(s) failed; manual action is needed</failure>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('passes every case of a run that held', () => {
    const j = abortedJournal();
    j.status = 'completed';
    j.run = [run('kill')];
    j.steady_states.after = null;
    j.relia = { ...j.relia, exitCode: 0, reason: 'the steady state held; rolled back' };
    const xml = junitJournal(summarise(j));
    expect(xml).toContain('<testsuites name="relia chaos" tests="4" failures="0">');
    expect(xml).toContain('\n    <testcase classname="chaos" name="method: kill" time="1.000"/>\n');
    expect(xml).toContain('\n    <testcase classname="chaos" name="experiment" time="125.040"/>\n  </testsuite>');
    expect(xml).not.toContain('<failure');
  });
});
