/**
 * Issue 10, class 4: bad input is exit 2 with a message, never a crash or a
 * hang. The BUILT CLI; no servers needed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { relia } from '../helpers/relia.js';

const dir = mkdtempSync(join(tmpdir(), 'relia-limits-'));
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const register = (ettf: string) =>
  `objective: 99.9\nrisks:\n  - name: r1\n    service: a\n    category: b\n    ettd: 1m\n    ettr: 1m\n    impact: 0.1\n    ettf: ${ettf}\n`;

describe('risk simulate never spins', () => {
  it('an ETTF of 1m (meant: a month) is refused at once, naming the risk and the limit', async () => {
    const r = await relia(['risk', 'simulate', '-r', file('tiny.yaml', register('1m')), '--seed', '1'], { timeoutMs: 20_000 });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/risk "r1" fails 525960 times a year/);
    expect(r.stderr).toMatch(/"1m" is one minute/);
  });
});

describe('dates and numbers have sane ranges', () => {
  it('risk history: incidents at the far edges of the calendar, mixed with ordinary ones, are exit 2 naming the row', async () => {
    const csv = file(
      'incidents.csv',
      'id,service,category,severity,started,detected,resolved,impact\n' +
        'A,s,c,SEV1,2025-12-01T09:11:00Z,2025-12-01T09:19:00Z,2025-12-01T09:48:00Z,0.5\n' +
        'B,s,c,SEV1,0001-01-01T00:00:00Z,0001-01-01T00:10:00Z,0001-01-01T00:20:00Z,0.5\n' +
        'C,s,c,SEV1,9999-12-31T23:00:00Z,9999-12-31T23:10:00Z,9999-12-31T23:20:00Z,0.5\n',
    );
    const r = await relia(['risk', 'history', '-i', csv, '--at', '2026-01-01T00:00:00Z'], { timeoutMs: 30_000 });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/row/);
  });

  it('--at in milliseconds (or year 0001) is exit 2 naming the range', async () => {
    const r = await relia(['capacity', 'headroom', '--usage', '10', '--capacity', '20', '--at', '1767225600000']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--at: expected a time from 1970-01-01 to 2199-12-31/);
  });
});

describe('every decompression and parse has a limit', () => {
  it('a sitemap with an external entity is exit 2 (no DTDs)', async () => {
    const xxe = file('xxe.xml', '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<urlset><url><loc>&e;</loc></url></urlset>\n');
    const r = await relia(['cache', 'warm', '--source', `sitemap:${xxe}`, '--target', 'http']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/may not declare a DOCTYPE/);
    expect(r.stderr).not.toMatch(/root:/);
  });

  it('a gzip bomb stops at the limit (exit 2), and --max-source-size raises it', async () => {
    const bomb = file('bomb.xml.gz', gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)));
    const r = await relia(['cache', 'warm', '--source', `sitemap:${bomb}`, '--target', 'http', '--max-source-size', '1MiB']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/decompresses to more than the limit of 1 MiB/);
    const raised = await relia(['cache', 'warm', '--source', `sitemap:${bomb}`, '--target', 'http', '--max-source-size', '16MiB']);
    expect(raised.exitCode).toBe(2);
    expect(raised.stderr).not.toMatch(/than the limit/);
  });
});
