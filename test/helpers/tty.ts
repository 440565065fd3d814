/**
 * Drive the BUILT relia on a real pseudo-terminal (tmux), for what only happens
 * on a TTY: prompts, Ctrl-C at a prompt, "did you mean". Polls; never sleeps a
 * fixed time. One helper for every tmux-driven e2e.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, recordExit } from './relia.js';

export const HAS_TMUX = existsSync('/usr/bin/tmux');

/** Wait until `check` is true, polling every 20 ms (bounded). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

export interface TtySession {
  /** The screen as text. */
  screen(): Promise<string>;
  /** tmux send-keys (e.g. 'C-c', 'Enter', 'y'). */
  keys(...keys: string[]): Promise<void>;
  /** Wait for the command to end; its exit code and the final screen. */
  exit(timeoutMs?: number): Promise<{ exitCode: number; screen: string }>;
  kill(): Promise<void>;
}

export interface TtyOptions {
  /** The terminal's size (default 160 × 40). */
  columns?: number;
  rows?: number;
  /** Extra environment (NO_COLOR=1 is given; CI is unset, since ink draws only the last frame under any CI, and so are COLUMNS, RELIA_CONFIG and RELIA_ENV). */
  env?: Record<string, string>;
  /** Send stdout to this file instead of the terminal: the screen then shows stderr alone. */
  stdoutFile?: string;
}

/** Start `relia ARGS` in a detached tmux session with a TTY, in `cwd`. */
export async function reliaOnTty(args: string[], cwd: string, options: TtyOptions = {}): Promise<TtySession> {
  const dir = mkdtempSync(join(tmpdir(), 'relia-tty-'));
  const exitFile = join(dir, 'exit');
  const name = `relia-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const env = Object.entries({ NO_COLOR: '1', ...options.env }).map(([k, v]) => `${k}=${quote(v)}`);
  const redirect = options.stdoutFile === undefined ? '' : ` > ${quote(options.stdoutFile)}`;
  const cmd = `cd ${quote(cwd)} && env -u COLUMNS -u CI -u RELIA_CONFIG -u RELIA_ENV ${env.join(' ')} ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}${redirect}; echo $? > ${quote(exitFile)}; sleep 600`;
  // Each session gets its own tmux server (-L socket): test files run in parallel, and with one shared server a
  // session ending (the server exits with its last session) raced another file's new-session ("server exited
  // unexpectedly").
  const tmux = (tmuxArgs: string[], opts: { reject?: boolean } = {}) => execa('tmux', ['-L', name, ...tmuxArgs], opts);
  await tmux(['new-session', '-d', '-s', name, '-x', String(options.columns ?? 160), '-y', String(options.rows ?? 40), cmd]);
  // -J joins lines the terminal wrapped, so a line wider than the screen shows as one long line
  // (it also keeps trailing spaces: they are dropped here).
  const screen = async () => String((await tmux(['capture-pane', '-p', '-J', '-t', name], { reject: false })).stdout).replace(/[ \t]+$/gm, '');
  const kill = async () => void (await tmux(['kill-server'], { reject: false }));
  return {
    screen,
    keys: async (...keys) => void (await tmux(['send-keys', '-t', name, ...keys])),
    exit: async (timeoutMs = 20_000) => {
      try {
        await until(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 'the command to exit', timeoutMs);
      } catch (error) {
        const text = await screen();
        await kill();
        throw new Error(`${(error as Error).message}; the screen:\n${text}`);
      }
      const exitCode = Number(readFileSync(exitFile, 'utf8').trim());
      recordExit(exitCode, `relia ${args.join(' ')} (tty)`);
      const text = await screen();
      await kill();
      return { exitCode, screen: text };
    },
    kill,
  };
}

/** Run `relia ARGS` on a terminal of the given width to the end; its exit code and the screen. */
export async function reliaScreen(args: string[], options: TtyOptions & { cwd?: string; timeoutMs?: number } = {}): Promise<{ exitCode: number; screen: string }> {
  const session = await reliaOnTty(args, options.cwd ?? process.cwd(), options);
  try {
    return await session.exit(options.timeoutMs ?? 60_000);
  } finally {
    await session.kill();
  }
}
