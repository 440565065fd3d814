/**
 * Pins the CI reports of `relia budget check` (report-github.ts,
 * report-junit.ts, report-markdown.ts) against docs/budget.md "CI: JUnit,
 * Markdown, GitHub Actions": which SLO becomes an ::error or a ::warning (and
 * with which title), a JUnit <failure>/<skipped>/plain testcase, and which SLOs
 * the Markdown lists with their reasons; plus the escaping each format needs
 * (GitHub workflow-command encoding, XML 1.0 characters, Markdown table cells).
 * Expected text is derived by hand from ./reports-fixture.ts.
 */
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, githubAnnotations } from '../../../../src/core/budget/report-github.js';
import { junitReport, numbersLine, xmlEscape } from '../../../../src/core/budget/report-junit.js';
import { markdownReport, mdCell } from '../../../../src/core/budget/report-markdown.js';
import { evaluation, status } from './reports-fixture.js';

/** numbersLine of the fixture's default status, worked out by hand. */
const NUMBERS = 'SLI 99.975% over 30d (objective 99.9%); budget remaining 75%; burn 5m 0.5x, 1h 0.25x; events 1000000, bad 250';

const blocked = status({
  id: 'pay/latency',
  service: 'pay',
  name: 'latency',
  verdict: 'fail',
  blocked: true,
  reasons: ['budget exhausted: -5% of the error budget remains (blocks at ≤ 0%)', 'dynamic budget: peak traffic, fast-burn factors ×0.5', 'fast burn: burn 20× over 1h'],
  blocks: ['budget-exhausted', 'fast-burn', 'postmortem'],
  bypassed: ['postmortem'],
  exception: 'sec',
});
const noData = status({ id: 'nd/a', service: 'nd', name: 'a', verdict: 'no-data', reasons: ['no data: 0 events in 30d'] });
const invalid = status({ id: 'inv/a', service: 'inv', name: 'a', verdict: 'invalid', reasons: ['invalid metric data: NaN'] });
const down = status({ id: 'down/a', service: 'down', name: 'a', unavailable: 'ECONNREFUSED', reasons: ['metrics unavailable: ECONNREFUSED'] });
const exempt = status({ id: 'ex/a', service: 'ex', name: 'a', exception: 'sec', reasons: ['budget exhausted: x', 'exception sec lets the change through: budget-exhausted'] });
const flagged = status({ id: 'pm/a', service: 'pm', name: 'a', postmortemRequired: true, reasons: ['postmortem required (flag only): y'] });

describe('numbers line (JUnit message, GitHub annotation)', () => {
  it('holds SLI, objective, budget remaining, each burn and the rounded event counts', () => {
    expect(numbersLine(status())).toBe(NUMBERS);
    expect(numbersLine(status({ events: { total: 999.5, bad: 2.4, allowedBad: 1, remainingBad: 0 } }))).toContain('; events 1000, bad 2');
  });

  it('says n/a for what cannot be measured and leaves the events out without counts', () => {
    expect(numbersLine(status({ sli: null, budgetRemaining: null, burnRates: { '5m': null, '1h': 12.345 }, events: null }))).toBe(
      'SLI n/a over 30d (objective 99.9%); budget remaining n/a; burn 5m n/a, 1h 12.3x',
    );
  });
});

describe('GitHub annotations', () => {
  const file = 'file=slos/shop.yaml';
  it('gives an ::error with reasons and numbers for a blocked SLO', () => {
    expect(githubAnnotations(evaluation([blocked]))).toEqual([
      `::error ${file},title=SLO pay/latency blocks the deploy::budget exhausted: -5%25 of the error budget remains (blocks at ≤ 0%25)%0Adynamic budget: peak traffic, fast-burn factors ×0.5%0Afast burn: burn 20× over 1h%0A${NUMBERS.replace(/%/g, '%25')}`,
    ]);
  });

  it('titles the warnings for unavailable, no-data and invalid SLOs, with their reasons only', () => {
    const passedDown = { ...down, reasons: [...down.reasons, 'passed by --on-unavailable pass'] };
    const passedNoData = { ...noData, reasons: [...noData.reasons, 'no-data passes under this policy (block.noData: false)'] };
    expect(githubAnnotations(evaluation([passedDown, passedNoData, invalid]))).toEqual([
      `::warning ${file},title=SLO down/a%3A metrics unavailable::metrics unavailable: ECONNREFUSED%0Apassed by --on-unavailable pass`,
      `::warning ${file},title=SLO nd/a%3A no data::no data: 0 events in 30d%0Ano-data passes under this policy (block.noData: false)`,
      `::warning ${file},title=SLO inv/a%3A invalid metric data::invalid metric data: NaN`,
    ]);
  });

  it('warns for an exempted or postmortem-flagged pass, with the numbers, and says nothing of a plain pass', () => {
    expect(githubAnnotations(evaluation([exempt, flagged, status()]))).toEqual([
      `::warning ${file},title=SLO ex/a::budget exhausted: x%0Aexception sec lets the change through: budget-exhausted%0A${NUMBERS.replace(/%/g, '%25')}`,
      `::warning ${file},title=SLO pm/a::postmortem required (flag only): y%0A${NUMBERS.replace(/%/g, '%25')}`,
    ]);
  });

  it('lets a block win over unavailable, and unavailable over no-data', () => {
    const both = githubAnnotations(evaluation([{ ...down, verdict: 'no-data', exception: 'sec' }, { ...noData, blocked: true, postmortemRequired: true }]));
    expect(both[0]).toMatch(/^::warning .*title=SLO down\/a%3A metrics unavailable::/);
    expect(both[1]).toMatch(/^::error .*title=SLO nd\/a blocks the deploy::/);
  });

  it('escapes every %, CR, LF in data and every : and , in properties', () => {
    expect(escapeData('1% 2%\r\n\r\n')).toBe('1%25 2%25%0D%0A%0D%0A');
    expect(escapeData('%0A')).toBe('%250A');
    expect(escapeProperty('a:b:c,d,e%\n')).toBe('a%3Ab%3Ac%2Cd%2Ce%25%0A');
    expect(githubAnnotations(evaluation([{ ...blocked, id: 'a,b/c:d', source: { ...blocked.source, file: 'C:\\slo,s.yaml' } }]))[0]).toMatch(
      /^::error file=C%3A\\slo%2Cs\.yaml,title=SLO a%2Cb\/c%3Ad blocks the deploy::/,
    );
  });
});

describe('JUnit XML', () => {
  // built inside each test (not once at collection), so the mutation run sees each test reach the report code
  const report = () => junitReport(evaluation([status(), blocked, noData, invalid, down]), { durationSeconds: 2.5, name: 'gate <prod>' });

  it('counts tests, failures and skipped (no-data, invalid, unavailable) on the suite, with the time', () => {
    const xml = report();
    const lines = xml.split('\n');
    expect(lines[0]).toBe('<?xml version="1.0" encoding="UTF-8"?>');
    expect(lines[1]).toBe('<testsuites name="gate &lt;prod&gt;" tests="5" failures="1" errors="0" skipped="3" time="2.500">');
    expect(lines[2]).toBe('  <testsuite name="gate &lt;prod&gt;" tests="5" failures="1" errors="0" skipped="3" time="2.500" timestamp="2026-11-01T00:00:00Z">');
    expect(lines.slice(3, 7)).toEqual(['    <properties>', '      <property name="at" value="2026-11-01T00:00:00Z"/>', '      <property name="queries" value="10"/>', '    </properties>']);
    expect(xml.endsWith('  </testsuite>\n</testsuites>\n')).toBe(true);
  });

  it('shares the run time out over the testcases', () => {
    const lines = report().split('\n');
    expect(lines[7]).toBe('    <testcase classname="shop" name="availability" file="slos/shop.yaml" time="0.500">');
  });

  it('puts a passing SLO’s details in system-out', () => {
    const lines = report().split('\n');
    expect(lines.slice(8, 10)).toEqual([`      <system-out>shop/availability: pass`, NUMBERS]);
    expect(lines[10]).toBe('- within policy: 75% of the error budget remains</system-out>');
    expect(lines[11]).toBe('    </testcase>');
  });

  it('fails a blocked SLO: the message has the reasons but the dynamic-budget note, the type the blocks not bypassed', () => {
    const lines = report().split('\n');
    const failure = lines.find((l) => l.startsWith('      <failure'))!;
    expect(failure).toBe(
      `      <failure message="pay/latency blocked: budget exhausted: -5% of the error budget remains (blocks at ≤ 0%); fast burn: burn 20× over 1h | ${NUMBERS}" type="budget-exhausted,fast-burn">pay/latency: fail (blocked)`,
    );
    const i = lines.indexOf(failure);
    expect(lines.slice(i + 1, i + 6)).toEqual([
      NUMBERS,
      '- budget exhausted: -5% of the error budget remains (blocks at ≤ 0%)',
      '- dynamic budget: peak traffic, fast-burn factors ×0.5',
      '- fast burn: burn 20× over 1h</failure>',
      '    </testcase>',
    ]);
  });

  it('skips no-data, invalid and unavailable SLOs with their first reason, else their verdict', () => {
    const lines = report().split('\n');
    expect(lines.filter((l) => l.includes('<skipped'))).toEqual([
      '      <skipped message="nd/a: no data: 0 events in 30d"/>',
      '      <skipped message="inv/a: invalid metric data: NaN"/>',
      '      <skipped message="down/a: metrics unavailable: ECONNREFUSED"/>',
    ]);
    const bare = junitReport(evaluation([{ ...noData, reasons: [] }]));
    expect(bare).toContain('<skipped message="nd/a: no-data"/>\n      <system-out>nd/a: no-data\n');
    expect(bare).toContain('<testsuites name="relia budget check" tests="1" failures="0" errors="0" skipped="1" time="0.000">');
    expect(bare).toContain('time="0.000">\n');
  });

  it('does not skip a blocked no-data SLO, and names the failure "blocked" when no block type is left', () => {
    const x = junitReport(evaluation([{ ...noData, blocked: true, blocks: ['no-data'] }, { ...blocked, blocks: [], bypassed: [] }]));
    expect(x).toContain('failures="2" errors="0" skipped="0"');
    expect(x).toContain('type="no-data">nd/a: no-data (blocked)\n');
    expect(x).toContain('type="blocked">pay/latency: fail (blocked)\n');
    expect(x).not.toContain('<skipped');
  });

  it('keeps the characters XML 1.0 allows, escapes markup and drops the rest', () => {
    const allowed = '\t\n\r \u{d7ff}\u{e000}\u{fffd}\u{10000}😀';
    expect(xmlEscape(allowed)).toBe(allowed);
    // lone surrogates (U+D800, U+DFFF) are not characters at all
    expect(xmlEscape('a\u0000\u0008\u000b\u000c\u000e\u001f\ud800-\udfff\ufffe\uffffb')).toBe('a-b');
    expect(xmlEscape(`&&<<>>""''`)).toBe('&amp;&amp;&lt;&lt;&gt;&gt;&quot;&quot;&apos;&apos;');
  });
});

describe('Markdown', () => {
  it('prints the headline, the counts, the table and the reasons (docs/budget.md#ci)', () => {
    const md = markdownReport(evaluation([status(), { ...blocked, burnRates: { '1h': 20 }, exhaustion: { '1h': 0, '6h': 3600 } }]), { changeLabels: { type: 'sec', team: 'pay' } });
    expect(md).toBe(
      [
        '## Error budget check: ❌ blocked by 1 SLO',
        '',
        '2 SLOs as of 2026-11-01T00:00:00Z: 1 pass, 1 fail, 0 no data. Change labels: `type=sec`, `team=pay`.',
        '',
        '| SLO | Verdict | SLI | Objective | Budget remaining | Burn 5m | Burn 1h | Exhausted in (1h / 6h) |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| shop/availability | ✅ pass | 99.975% | 99.9% | 75% | 0.5× | 0.25× | never / never |',
        '| pay/latency | ❌ blocked | 99.975% | 99.9% | 75% | – | 20× | now / 1h |',
        '',
        '### Reasons',
        '',
        '**pay/latency** (❌ blocked)',
        '- budget exhausted: -5% of the error budget remains (blocks at ≤ 0%)',
        '- dynamic budget: peak traffic, fast-burn factors ×0.5',
        '- fast burn: burn 20× over 1h',
        '',
        '',
      ].join('\n'),
    );
  });

  it('says passed, counts unavailable and invalid SLOs, and leaves out labels and reasons when there are none', () => {
    const md = markdownReport(evaluation([status()]), { title: 'Gate' });
    expect(md).toBe(
      ['## Gate: ✅ passed', '', '1 SLOs as of 2026-11-01T00:00:00Z: 1 pass, 0 fail, 0 no data.', '', '| SLO | Verdict | SLI | Objective | Budget remaining | Burn 5m | Burn 1h | Exhausted in (1h / 6h) |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |', '| shop/availability | ✅ pass | 99.975% | 99.9% | 75% | 0.5× | 0.25× | never / never |', '', ''].join('\n'),
    );
    const counted = markdownReport(evaluation([down, invalid]));
    expect(counted).toContain('2 SLOs as of 2026-11-01T00:00:00Z: 1 pass, 0 fail, 0 no data, 1 unavailable, 1 invalid.\n');
  });

  it('pluralises the blocked count', () => {
    expect(markdownReport(evaluation([blocked, { ...blocked, id: 'pay/b' }]))).toMatch(/^## Error budget check: ❌ blocked by 2 SLOs\n/);
  });

  it('marks each kind of SLO and lists every notable one with its reasons', () => {
    const md = markdownReport(evaluation([status({ budgetRemaining: null }), down, invalid, noData, exempt, flagged]));
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| SLO') && !l.startsWith('| ---'));
    expect(rows.map((r) => r.split(' | ').slice(0, 2).join(' | '))).toEqual([
      '| shop/availability | ✅ pass',
      '| down/a | ⚠️ unavailable (passed)',
      '| inv/a | ⚠️ invalid data (passed)',
      '| nd/a | ⚪ no data',
      '| ex/a | ✅ pass (exception sec)',
      '| pm/a | ✅ pass',
    ]);
    expect(rows[0]).toContain('| 99.9% | n/a |');
    expect(rows[1]).toMatch(/ \| n\/a \|$/);
    expect(md.split('### Reasons\n')[1]).toBe(
      [
        '',
        '**down/a** (⚠️ unavailable (passed))',
        '- metrics unavailable: ECONNREFUSED',
        '',
        '**inv/a** (⚠️ invalid data (passed))',
        '- invalid metric data: NaN',
        '',
        '**nd/a** (⚪ no data)',
        '- no data: 0 events in 30d',
        '',
        '**ex/a** (✅ pass (exception sec))',
        '- budget exhausted: x',
        '- exception sec lets the change through: budget-exhausted',
        '',
        '**pm/a** (✅ pass)',
        '- postmortem required (flag only): y',
        '',
        '',
      ].join('\n'),
    );
  });

  it('shows a blocked invalid SLO as blocked', () => {
    expect(markdownReport(evaluation([{ ...invalid, blocked: true }]))).toContain('| inv/a | ❌ blocked |');
  });

  it('escapes table cells: backslash first, pipes, line breaks and Markdown markup', () => {
    expect(mdCell('a\\|b')).toBe('a\\\\\\|b');
    expect(mdCell('x|y|z')).toBe('x\\|y\\|z');
    expect(mdCell('1\r\n2\n3\r\n4')).toBe('1 2 3 4');
    expect(mdCell('`*_[]<>`*')).toBe('\\`\\*\\_\\[\\]\\<\\>\\`\\*');
    expect(mdCell('plain-text.ok')).toBe('plain-text.ok');
    expect(markdownReport(evaluation([{ ...blocked, id: 'a|b/*c*', reasons: ['x\ny'] }]))).toContain('**a\\|b/\\*c\\*** (❌ blocked)\n- x y\n');
  });
});
