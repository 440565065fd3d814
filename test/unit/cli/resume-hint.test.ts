import { describe, expect, it } from 'vitest';
import { resumeHint, shellQuote } from '../../../src/cli/cache/resume-hint.js';

describe('resumeHint', () => {
  const base = { bin: 'relia', command: 'cache warm', done: '1200 of 10000 keys done', signal: 'SIGINT' as const };
  it('names what was done, the checkpoint and the exact command that resumes', () => {
    const lines = resumeHint({ ...base, argv: ['--source', 'keys.txt', '--target', 'redis://127.0.0.1:6379/0', '--origin', 'http://o/items/{key}', '--checkpoint', '/tmp/w.json'], checkpointFile: '/tmp/w.json' });
    expect(lines).toEqual([
      'relia: interrupted by SIGINT: 1200 of 10000 keys done',
      'relia: checkpoint saved: /tmp/w.json',
      "relia: resume with: relia cache warm --source keys.txt --target redis://127.0.0.1:6379/0 --origin 'http://o/items/{key}' --checkpoint /tmp/w.json",
    ]);
  });
  it('never resumes with --restart (it would throw the checkpoint away)', () => {
    const lines = resumeHint({ ...base, argv: ['--checkpoint', 'c.json', '--restart'], checkpointFile: '/abs/c.json' });
    expect(lines.at(-1)).toBe('relia: resume with: relia cache warm --checkpoint c.json');
  });
  it('without a checkpoint, says a re-run starts over and how to make it resumable', () => {
    const lines = resumeHint({ ...base, signal: 'SIGTERM', argv: ['--pattern', 'user:*'], checkpointFile: null });
    expect(lines[0]).toBe('relia: interrupted by SIGTERM: 1200 of 10000 keys done');
    expect(lines[1]).toContain('add --checkpoint FILE');
    expect(lines[2]).toBe("relia: run again with: relia cache warm --pattern 'user:*'");
  });
  it('an idempotent command just runs again', () => {
    const lines = resumeHint({ ...base, command: 'cache invalidate', argv: ['--source', 'k.txt', '--yes'], checkpointFile: null, idempotent: true });
    expect(lines[1]).toBe('relia: running it again finishes the rest (what is done is skipped): relia cache invalidate --source k.txt --yes');
  });
  it('quotes for a POSIX shell', () => {
    expect(shellQuote('plain-arg_1.2')).toBe('plain-arg_1.2');
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('a b')).toBe("'a b'");
  });
});
