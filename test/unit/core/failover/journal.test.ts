/**
 * The failover journal's helpers, as `relia failover status`, `resume` and
 * the journal file see them: whole-second times, events, the guard samples
 * kept (the last 200), which statuses can be resumed, the one-line summary of
 * every status, and which files are journals at all.
 */
import { describe, expect, it } from 'vitest';
import { journal as contractJournal } from '../../../contract/suites/journal.js';
import { addEvent, addGuardSample, asJournal, isoOf, MAX_GUARD_SAMPLES, resumable, summarise, type GuardSample, type Journal, type OperationStatus } from '../../../../src/core/failover/journal.js';

/** The journal contract's apply use1 → euw1 in steps 50/100 (test/contract/suites/journal.ts), at step 1 unless told. */
const journal = (over: Partial<Journal> = {}): Journal => contractJournal(0, over);

describe('journal times', () => {
  it.each([
    ['2026-12-03T07:10:00.987Z', '2026-12-03T07:10:00Z'],
    ['2026-12-03T07:10:00.000Z', '2026-12-03T07:10:00Z'],
    ['1999-12-31T23:59:59.001Z', '1999-12-31T23:59:59Z'],
  ])('%s is written %s (whole seconds, UTC)', (at, written) => {
    expect(isoOf(Date.parse(at))).toBe(written);
  });

  it('an event records when, what and why, and moves updatedAt', () => {
    const j = journal({ events: [] });
    addEvent(j, Date.parse('2026-12-03T07:12:30.400Z'), 'step', 'step 1/2 (50%): us-east-1=50 eu-west-1=50');
    expect(j.events).toEqual([{ at: '2026-12-03T07:12:30Z', type: 'step', message: 'step 1/2 (50%): us-east-1=50 eu-west-1=50' }]);
    expect(j.updatedAt).toBe('2026-12-03T07:12:30Z');
  });
});

describe('guard samples', () => {
  const sample = (step: number): GuardSample => ({ at: '2026-12-03T07:10:00Z', step, region: 'eu-west-1', ok: true, problems: [] });

  it(`keeps every sample up to ${MAX_GUARD_SAMPLES}, then the last ${MAX_GUARD_SAMPLES} (the oldest go first)`, () => {
    const j = journal();
    for (let i = 1; i <= 200; i++) addGuardSample(j, sample(i));
    expect(j.guard.map((s) => s.step)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    addGuardSample(j, sample(201));
    addGuardSample(j, sample(202));
    expect(j.guard).toHaveLength(200);
    expect(j.guard[0]?.step).toBe(3);
    expect(j.guard[199]?.step).toBe(202);
  });
});

describe('status', () => {
  it.each<[OperationStatus, boolean]>([
    ['running', true], // a process is (or was, if it crashed) on it
    ['interrupted', true],
    ['completed', false],
    ['reverted', false],
    ['revert-failed', false],
    ['refused', false],
  ])('%s: resumable %s', (status, can) => {
    expect(resumable(journal({ status }))).toBe(can);
  });

  it.each<[OperationStatus, number, string]>([
    ['running', 0, 'apply use1 → euw1 running (step 1 of 2 (50%))'],
    ['running', -1, 'apply use1 → euw1 running (before step 1)'],
    ['interrupted', 0, 'apply use1 → euw1 interrupted at step 1 of 2 (50%)'],
    ['completed', 1, 'apply use1 → euw1 completed (2 steps)'],
    ['reverted', 0, 'apply use1 → euw1 reverted to step 1 of 2 (50%)'],
    ['revert-failed', 1, 'apply use1 → euw1 revert FAILED at step 2 of 2 (100%)'],
    ['refused', -1, 'apply use1 → euw1 refused, weights unchanged'],
  ])('summary of %s at position %i, no reason given', (status, position, line) => {
    expect(summarise(journal({ status, position }))).toBe(line);
  });

  it.each<[OperationStatus, string]>([
    ['interrupted', 'apply use1 → euw1 interrupted at step 1 of 2 (50%): interrupted by SIGTERM at step 1 (50%)'],
    ['reverted', 'apply use1 → euw1 reverted to step 1 of 2 (50%): interrupted by SIGTERM at step 1 (50%)'],
    ['revert-failed', 'apply use1 → euw1 revert FAILED at step 1 of 2 (50%): interrupted by SIGTERM at step 1 (50%)'],
    ['refused', 'apply use1 → euw1 refused, weights unchanged: interrupted by SIGTERM at step 1 (50%)'],
  ])('summary of %s gives the reason', (status, line) => {
    expect(summarise(journal({ status, reason: 'interrupted by SIGTERM at step 1 (50%)' }))).toBe(line);
  });

  it('a rollback of one step says "1 step"', () => {
    const j = journal({ kind: 'rollback', from: 'euw1', to: 'use1', steps: [{ percent: 100, weights: { use1: 100, euw1: 0 }, state: 'baked' }], status: 'completed' });
    expect(summarise(j)).toBe('rollback euw1 → use1 completed (1 step)');
  });

  it('a hand-edited journal whose position is past its steps is still summarised, not a crash', () => {
    expect(summarise(journal({ position: 2 }))).toMatch(/^apply use1 → euw1 running \(step 3 of 2 /);
  });
});

describe('which data is a journal (the journal file reader: exit 2 otherwise)', () => {
  const fields = JSON.parse(JSON.stringify(journal())) as Record<string, unknown>;

  it('a journal as written and read back is accepted as is', () => {
    expect(asJournal(fields)).toEqual(journal());
  });

  it.each<[string, unknown]>([
    ['null (a file holding "null")', null],
    ['nothing', undefined],
    ['a string', 'journal'],
    ['a number', 1],
    ['another version', { ...fields, version: 2 }],
    ['an id that is no string', { ...fields, id: 7 }],
    ['no steps list', { ...fields, steps: { 0: {} } }],
    ['a position that is no number', { ...fields, position: '0' }],
    ['no dns', { ...fields, dns: undefined }],
    ['a dns that is no object', { ...fields, dns: 'Z1' }],
  ])('not a journal: %s', (_what, data) => {
    expect(asJournal(data)).toBeNull();
  });
});
