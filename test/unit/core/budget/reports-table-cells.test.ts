/**
 * Pins the cells of `relia budget status|check` human tables (report-table.ts)
 * against docs/budget.md "relia budget status" (the example table and the
 * column meanings) and "Verdicts". Expected strings are worked out by hand
 * from hand-built SloStatus values (./reports-fixture.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  budgetCell,
  burnCell,
  burnWindowsOf,
  checkLines,
  consumedCell,
  count,
  exhaustionCell,
  fastestBurnCell,
  nines,
  statusColumns,
  statusFootnotes,
  verdictWord,
} from '../../../../src/core/budget/report-table.js';
import { evaluation, status } from './reports-fixture.js';

describe('nines: enough digits to tell the nines apart', () => {
  it('prints four decimals from 99.9 % up, three below, without trailing zeros', () => {
    // docs/budget.md example: checkout's SLI 0.99920557… prints 99.9206%, recommendations' 99.479%
    expect(nines(0.99920557)).toBe('99.9206%');
    expect(nines(0.9947912)).toBe('99.479%');
    expect(nines(0.9989)).toBe('99.89%');
    expect(nines(0.99975)).toBe('99.975%');
  });

  it('strips only trailing zeros, then a bare decimal point', () => {
    expect(nines(0.999)).toBe('99.9%');
    expect(nines(0.99)).toBe('99%');
    expect(nines(0.995)).toBe('99.5%');
    expect(nines(1)).toBe('100%');
    expect(nines(0.905)).toBe('90.5%');
    expect(nines(0)).toBe('0%');
    expect(nines(null)).toBe('n/a');
  });
});

describe('counts, burns and exhaustion', () => {
  it('rounds counts and separates thousands', () => {
    expect(count(518362.03)).toBe('518,362');
    expect(count(1_350_729.5)).toBe('1,350,730');
    expect(count(31)).toBe('31');
  });

  it('prints a burn with three significant figures, a dash when not measurable', () => {
    expect(burnCell(0.363)).toBe('0.363×');
    expect(burnCell(99.456)).toBe('99.5×');
    expect(burnCell(0)).toBe('0×');
    expect(burnCell(null)).toBe('–');
    expect(burnCell(undefined)).toBe('–');
  });

  it('says now when spent, never when not burning, else a duration', () => {
    expect(exhaustionCell(0)).toBe('now');
    expect(exhaustionCell(null)).toBe('never');
    expect(exhaustionCell(undefined)).toBe('never');
    expect(exhaustionCell(3600)).toBe('1h');
    expect(exhaustionCell(13 * 86_400 + 5 * 3600)).toBe('13d 5h');
  });
});

describe('budget and consumed cells', () => {
  it('gives the budget in bad events for event SLIs, bad minutes for time-based ones', () => {
    expect(budgetCell(status({ events: { total: 518_362_000, bad: 411_798, allowedBad: 518_362, remainingBad: 106_564 } }))).toBe('518,362 bad events');
    expect(budgetCell(status({ events: null, badMinutes: { allowed: 43.21234, consumed: 1, remaining: 42.21234 } }))).toBe('43.21 bad min');
    expect(budgetCell(status({ events: null, badMinutes: null }))).toBe('n/a');
  });

  it('adds the bad events or bad minutes to the consumed share', () => {
    expect(consumedCell(status({ consumed: 0.7944, events: { total: 1e9, bad: 411_798, allowedBad: 518_362, remainingBad: 0 } }))).toBe('79.44% (411,798)');
    expect(consumedCell(status({ consumed: 0.5, events: null, badMinutes: { allowed: 43.2, consumed: 21.6049, remaining: 21.5951 } }))).toBe('50% (21.6 min)');
    expect(consumedCell(status({ consumed: 0.25, events: null, badMinutes: null }))).toBe('25%');
    expect(consumedCell(status({ consumed: null }))).toBe('n/a');
  });
});

describe('verdict words (the same in status and check)', () => {
  it('names unavailable, invalid and blocked SLOs before the plain verdict', () => {
    expect(verdictWord(status())).toBe('pass');
    expect(verdictWord(status({ verdict: 'fail', blocked: true }))).toBe('blocked');
    expect(verdictWord(status({ verdict: 'fail', blocked: false }))).toBe('fail');
    expect(verdictWord(status({ verdict: 'no-data', blocked: false }))).toBe('no-data');
    expect(verdictWord(status({ verdict: 'invalid', blocked: true }))).toBe('invalid');
    expect(verdictWord(status({ verdict: 'invalid', blocked: false }))).toBe('invalid');
    expect(verdictWord(status({ verdict: 'pass', unavailable: 'connect ECONNREFUSED' }))).toBe('pass (unavailable)');
  });

  it('gives check one line per SLO with the same word, the blocked flag and the reasons', () => {
    const a = status({ id: 'a/x', verdict: 'fail', blocked: true, reasons: ['budget exhausted: …'] });
    const b = status({ id: 'b/x' });
    expect(checkLines(evaluation([a, b]))).toEqual([
      { verdict: 'blocked', blocked: true, id: 'a/x', reasons: ['budget exhausted: …'] },
      { verdict: 'pass', blocked: false, id: 'b/x', reasons: ['within policy: 75% of the error budget remains'] },
    ]);
  });
});

describe('fastest burn', () => {
  it('takes the highest measurable burn with its window, the first on a tie', () => {
    expect(fastestBurnCell(status({ burnRates: { '5m': 0.5, '1h': 2, '6h': 2, '1d': null } }))).toBe('2× 1h');
    expect(fastestBurnCell(status({ burnRates: { '5m': null, '1h': 0 } }))).toBe('0× 1h');
    expect(fastestBurnCell(status({ burnRates: { '5m': null } }))).toBe('–');
    expect(fastestBurnCell(status({ burnRates: { '5m': undefined as unknown as null, '1h': 0.1 } }))).toBe('0.1× 1h');
  });
});

describe('status table columns', () => {
  it('puts the SLO, verdict, remaining and fastest burn first, text left and numbers right (as the docs example prints)', () => {
    const cols = statusColumns(['5m', '1h']);
    expect(cols.map((c) => [c.header, c.align])).toEqual([
      ['SLO', 'left'],
      ['VERDICT', 'left'],
      ['REMAINING', 'right'],
      ['FASTEST BURN', 'right'],
      ['SLI', 'right'],
      ['OBJECTIVE', 'right'],
      ['WINDOW', 'left'],
      ['EXHAUSTED IN (1h/6h)', 'right'],
      ['CONSUMED', 'right'],
      ['BUDGET', 'right'],
      ['BUDGET TREND', 'left'],
      ['BURN 5m', 'right'],
      ['BURN 1h', 'right'],
    ]);
  });

  it('fills every cell of a row', () => {
    const s = status({ budgetRemaining: -4.211, exhaustion: { '1h': 0, '6h': 13 * 86_400 + 5 * 3600 }, burnRates: { '5m': 99.3, '1h': 99.5 } });
    const row = Object.fromEntries(statusColumns(['5m', '1h', '6h']).map((c) => [c.header, c.value(s)]));
    expect(row).toEqual({
      SLO: 'shop/availability',
      VERDICT: 'pass',
      REMAINING: '-421.1%',
      'FASTEST BURN': '99.5× 1h',
      SLI: '99.975%',
      OBJECTIVE: '99.9%',
      WINDOW: '30d',
      'EXHAUSTED IN (1h/6h)': 'now / 13d 5h',
      CONSUMED: '25% (250)',
      BUDGET: '1,000 bad events',
      'BUDGET TREND': '▇▆',
      'BURN 5m': '99.3×',
      'BURN 1h': '99.5×',
      'BURN 6h': '–',
    });
    expect(statusColumns([])[2]!.value(status({ budgetRemaining: null }))).toBe('n/a');
  });
});

describe('burn windows of an evaluation', () => {
  it('is the union over SLOs in first-seen order, each once', () => {
    const ev = evaluation([status({ burnRates: { '1h': 1, '5m': 1 } }), status({ burnRates: { '5m': 1, '3d': null, '1h': 2 } }), status({ burnRates: {} })]);
    expect(burnWindowsOf(ev)).toEqual(['1h', '5m', '3d']);
    expect(burnWindowsOf(evaluation([]))).toEqual([]);
  });
});

describe('status footnotes: why an SLO is not a plain pass', () => {
  it('lists every SLO but plain passes, in check’s words', () => {
    const ev = evaluation([
      status({ id: 'plain/a' }),
      status({ id: 'plain/b', reasons: ['within policy'] }),
      status({ id: 'nil/reasons', reasons: [] }),
      status({ id: 'flag/pm', postmortemRequired: true, reasons: ['within policy: 75% of the error budget remains', 'postmortem required (flag only): x'] }),
      status({ id: 'exc/x', reasons: ['budget exhausted: y', 'exception sec lets the change through: budget-exhausted'] }),
      status({ id: 'down/x', unavailable: 'ECONNREFUSED', reasons: ['metrics unavailable'] }),
      status({ id: 'fail/x', verdict: 'fail', blocked: true, reasons: ['fast burn: z'] }),
      status({ id: 'fail/unblocked', verdict: 'fail', blocked: false, reasons: ['within policy'] }),
      status({ id: 'nd/x', verdict: 'no-data', reasons: ['no data: 0 events'] }),
    ]);
    expect(statusFootnotes(ev)).toEqual([
      'flag/pm: pass: within policy: 75% of the error budget remains; postmortem required (flag only): x',
      'exc/x: pass: budget exhausted: y; exception sec lets the change through: budget-exhausted',
      'down/x: pass (unavailable): metrics unavailable',
      'fail/x: blocked: fast burn: z',
      'fail/unblocked: fail: within policy',
      'nd/x: no-data: no data: 0 events',
    ]);
  });

  it('prints no trailing colon for an SLO without reasons', () => {
    expect(statusFootnotes(evaluation([status({ id: 'x/y', verdict: 'no-data', reasons: [] })]))).toEqual(['x/y: no-data']);
    expect(statusFootnotes(evaluation([status({ id: 'x/y', blocked: true, reasons: ['within policy'] })]))).toEqual(['x/y: blocked: within policy']);
  });
});
