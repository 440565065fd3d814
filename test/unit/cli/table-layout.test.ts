import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outputFormatOf } from '../../../src/cli/base-command.js';
import { makeStyle, renderTable, terminalWidth, type Column } from '../../../src/cli/style.js';

type Row = { id: string; verdict: string; a: string; b: string };
const columns: Array<Column<Row>> = [
  { header: 'SLO', value: (r) => r.id },
  { header: 'VERDICT', value: (r) => r.verdict, keep: true },
  { header: 'ALPHA', value: (r) => r.a, align: 'right' },
  { header: 'BETA', value: (r) => r.b },
];
const rows: Row[] = [
  { id: 'checkout/availability', verdict: 'pass', a: '99.95%', b: 'x'.repeat(30) },
  { id: 'search/latency', verdict: 'blocked', a: '12%', b: 'y' },
];
const style = (width: number, format: 'table' | 'markdown' = 'table') => makeStyle(false, { width, format });
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('renderTable fits the width', () => {
  it('keeps every column when it fits, and says nothing more', () => {
    const out = renderTable(columns, rows, style(Number.POSITIVE_INFINITY));
    expect(out.split('\n')[0]).toMatch(/^SLO\s+VERDICT\s+ALPHA\s+BETA$/);
    expect(out).not.toContain('--wide');
  });

  it('drops columns from the right, never the first nor a kept one, and names them', () => {
    const out = renderTable(columns, rows, style(45));
    const [head, , , note] = out.split('\n');
    expect(head).toMatch(/^SLO\s+VERDICT\s+ALPHA$/);
    expect(note).toBe('1 more column: --wide shows them'); // the long note would not fit in 45
    const named = renderTable(columns, rows, style(66)).split('\n')[3];
    expect(named).toBe('1 more column at this width (BETA): --wide or -o wide shows them');
    const narrow = renderTable(columns, rows, style(10));
    expect(narrow.split('\n')[0]).toMatch(/^SLO\s+VERDICT$/);
    expect(narrow).toContain('2 more columns: --wide shows them');
    const some = renderTable(columns, rows, style(60)).split('\n');
    expect(some[0]).toMatch(/^SLO\s+VERDICT\s+ALPHA$/);
  });

  it('fits any width that the kept columns fit (property)', () => {
    const minimum = widest(renderTable(columns.slice(0, 2), rows, style(Number.POSITIVE_INFINITY)));
    fc.assert(
      fc.property(fc.integer({ min: minimum, max: 200 }), (width) => {
        const table = renderTable(columns, rows, style(width)).split('\n').slice(0, 3).join('\n');
        expect(widest(table)).toBeLessThanOrEqual(width);
      }),
    );
  });

  it('-o markdown gives a Markdown table with every column, escaping pipes', () => {
    const out = renderTable(columns, [{ ...rows[1]!, b: 'a|b' }], style(10, 'markdown'));
    expect(out.split('\n')).toEqual(['| SLO | VERDICT | ALPHA | BETA |', '| --- | --- | ---: | --- |', '| search/latency | blocked | 12% | a\\|b |']);
  });
});

describe('terminalWidth', () => {
  it('COLUMNS wins, then a TTY width, else unlimited', () => {
    expect(terminalWidth({ isTTY: true, columns: 120 }, { COLUMNS: '80' })).toBe(80);
    expect(terminalWidth({ isTTY: true, columns: 120 }, {})).toBe(120);
    expect(terminalWidth({ isTTY: false }, {})).toBe(Number.POSITIVE_INFINITY);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: 'wide' })).toBe(Number.POSITIVE_INFINITY);
    expect(terminalWidth({ isTTY: true, columns: 100 }, { COLUMNS: '0' })).toBe(100);
  });
});

describe('outputFormatOf', () => {
  it('reads -o and --output in every spelling, before --', () => {
    expect(outputFormatOf(['budget', 'status', '-o', 'wide'])).toBe('wide');
    expect(outputFormatOf(['-ojson'])).toBe('json');
    expect(outputFormatOf(['-o=yaml'])).toBe('yaml');
    expect(outputFormatOf(['--output', 'markdown'])).toBe('markdown');
    expect(outputFormatOf(['--output=table'])).toBe('table');
    expect(outputFormatOf(['--', '-o', 'json'])).toBeUndefined();
    expect(outputFormatOf(['-o', 'xml'])).toBeUndefined();
    expect(outputFormatOf([])).toBeUndefined();
  });
});

describe('wrapText', async () => {
  const { wrapText } = await import('../../../src/cli/style.js');
  it('wraps prose at word boundaries with a hanging indent, never past the width (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 1, maxLength: 60 }), fc.integer({ min: 16, max: 120 }), (words, width) => {
        const text = words.join(' ');
        const wrapped = wrapText(text, width);
        for (const l of wrapped.split('\n')) expect([...l].length).toBeLessThanOrEqual(width);
        expect(wrapped.split(/\s+/).filter(Boolean)).toEqual(words);
      }),
    );
    expect(wrapText('short', Number.POSITIVE_INFINITY)).toBe('short');
    expect(wrapText('aaa bbb ccc', 8)).toBe('aaa bbb\n  ccc');
  });
});
