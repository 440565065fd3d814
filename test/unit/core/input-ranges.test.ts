/**
 * Issue 10, class 4: every user time and size is in a sane range or exit 2,
 * for any input (fast-check: extreme dates, huge and tiny numbers, long text).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOriginTemplate } from '../../../src/core/cache/origin-template.js';
import { parseSitemap } from '../../../src/core/cache/sitemap.js';
import { InputError } from '../../../src/core/errors.js';
import { parseHeaderLine } from '../../../src/core/secrets.js';
import { parseSize, parseTime, TIME_MAX_MS, TIME_MIN_MS } from '../../../src/core/units.js';

/** Either a value in range or an InputError: never another exception, never NaN. */
function inRangeOrInputError(f: () => number, lo: number, hi: number): void {
  let v: number;
  try {
    v = f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return;
  }
  expect(v).toBeGreaterThanOrEqual(lo);
  expect(v).toBeLessThan(hi);
}

describe('parseTime', () => {
  it('any date from the whole JS calendar, as RFC 3339: in [1970, 2200) or exit 2', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }), (d) => {
        inRangeOrInputError(() => parseTime(d.toISOString(), '--at'), TIME_MIN_MS, TIME_MAX_MS);
      }),
    );
  });
  it('any number as unix seconds, huge or tiny: in range or exit 2', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true }), fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String)), (x) => {
        inRangeOrInputError(() => parseTime(typeof x === 'number' ? Math.abs(x) : x, '--at'), TIME_MIN_MS, TIME_MAX_MS);
      }),
    );
  });
});

describe('parseSize', () => {
  it('in [1 KiB, 64 GiB] or exit 2', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e30, noNaN: true }), fc.constantFrom('', 'B', 'KiB', 'MB', 'MiB', 'GiB'), (n, unit) => {
        inRangeOrInputError(() => parseSize(`${n}${unit}`, '--max-source-size'), 1024, 64 * 1024 ** 3 + 1);
      }),
    );
  });
});

describe('headers and origin templates', () => {
  it('a header with CR, LF or NUL anywhere is exit 2', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('\r', '\n', '\0', '\r\n'), fc.string(), (a, bad, b) => {
        expect(() => parseHeaderLine(`X-A: ${a}${bad}${b}`, '--header')).toThrow(InputError);
      }),
    );
  });
  it('a placeholder in the scheme or host is exit 2; in the path it is fine', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9.-]{0,20}$/), (host) => {
        expect(() => checkOriginTemplate(`http://${host}{key}.example/x`, '--origin')).toThrow(InputError);
        expect(() => checkOriginTemplate(`http://origin${host ? `-${host.replace(/^[.-]+/, '')}` : ''}.example/items/{key}?v={key}`, '--origin')).not.toThrow();
      }),
    );
  });
});

describe('sitemaps: long and deep documents', () => {
  it('a DOCTYPE anywhere is refused; deep nesting and long documents parse or give exit 2, never another error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 5000 }), fc.boolean(), (depth, urls, doctype) => {
        const open = '<a>'.repeat(depth);
        const close = '</a>'.repeat(depth);
        const body = Array.from({ length: urls }, (_, i) => `<url><loc>http://x/${i}</loc></url>`).join('');
        const xml = `${doctype ? '<!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">]>' : ''}<urlset>${open}${close}${body}</urlset>`;
        try {
          const doc = parseSitemap(xml, 'fuzz.xml');
          expect(doctype).toBe(false);
          expect(doc.urls.length).toBe(urls);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('risk simulate is abortable', () => {
  it('stops with the signal\'s reason at the next slice, and refuses work above the limit', async () => {
    const { simulateRisksAsync, simulateRisks } = await import('../../../src/core/risk/simulate.js');
    const risk = (ettf: number) => ({ name: 'r', service: 's', category: 'c', ettdMinutes: 1, ettrMinutes: 1, impact: 0.1, frequencyPerYear: ettf, mitigations: [] });
    const register = { objective: 0.999, risks: [risk(20_000)] } as unknown as Parameters<typeof simulateRisks>[0];
    const ac = new AbortController();
    let pauses = 0;
    const run = simulateRisksAsync(register, { seed: 1, iterations: 5000, objective: 0.999, signal: ac.signal, pause: async () => {
      if (++pauses === 2) ac.abort(new Error('stop'));
    } });
    await expect(run).rejects.toThrow('stop');
    expect(pauses).toBe(2);
    const huge = { objective: 0.999, risks: [risk(525_960)] } as unknown as Parameters<typeof simulateRisks>[0];
    expect(() => simulateRisks(huge, { seed: 1, iterations: 10_000, objective: 0.999 })).toThrow(/above the limit/);
  });
});
