import { describe, expect, it } from 'vitest';
import { eventProgress, progressMode, progressOutput } from '../../../src/cli/progress-flag.js';

describe('--progress', () => {
  it('auto: the bar on a terminal, JSON lines off one', () => {
    expect(progressMode({}, true)).toBe('bar');
    expect(progressMode({ progress: 'auto' }, false)).toBe('json');
  });
  it('json: JSON lines on a terminal too', () => {
    expect(progressMode({ progress: 'json' }, true)).toBe('json');
    expect(progressMode({ progress: 'json' }, false)).toBe('json');
  });
  it('bar: never decorative output off a terminal', () => {
    expect(progressMode({ progress: 'bar' }, true)).toBe('bar');
    expect(progressMode({ progress: 'bar' }, false)).toBe('none');
  });
  it('none, and --no-progress over any --progress', () => {
    expect(progressMode({ progress: 'none' }, true)).toBe('none');
    expect(progressMode({ progress: 'json', 'no-progress': true }, false)).toBe('none');
  });
  it('maps to the progress facade\'s options', () => {
    expect(progressOutput({ progress: 'auto' }, true)).toEqual({ tty: true, silent: false });
    expect(progressOutput({ progress: 'json' }, true)).toEqual({ tty: false, silent: false });
    expect(progressOutput({ progress: 'none' }, true)).toEqual({ tty: false, silent: true });
  });
});

describe('--progress for event-line commands (failover)', () => {
  it('human lines on a terminal, JSON lines off one or with json, nothing with none; --json does not enter into it', () => {
    expect(eventProgress({}, true)).toBe('tty');
    expect(eventProgress({}, false)).toBe('json');
    expect(eventProgress({ progress: 'json' }, true)).toBe('json');
    expect(eventProgress({ progress: 'bar' }, false)).toBe('none');
    expect(eventProgress({ 'no-progress': true }, true)).toBe('none');
  });
});
