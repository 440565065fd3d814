/**
 * Drive the BUILT relia on a real pseudo-terminal (tmux), for what only happens
 * on a TTY: prompts, Ctrl-C at a prompt, "did you mean". Polls; never sleeps a
 * fixed time.
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
  exit(): Promise<{ exitCode: number; screen: string }>;
  kill(): Promise<void>;
}

/**
 * Start `relia ARGS` in a detached tmux session with a TTY, in `cwd`. `env` is
 * set on the command line itself: a tmux server that is already running gives
 * new sessions its own environment, not this process's.
 */
export async function reliaOnTty(args: string[], cwd: string, options: { env?: Record<string, string> } = {}): Promise<TtySession> {
  const dir = mkdtempSync(join(tmpdir(), 'relia-tty-'));
  const exitFile = join(dir, 'exit');
  const name = `relia-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${quote(v)} `).join('');
  const cmd = `cd ${quote(cwd)} && ${env}NO_COLOR=1 CI= node ${quote(BIN)} ${args.map(quote).join(' ')}; echo $? > ${quote(exitFile)}; sleep 600`;
  await execa('tmux', ['new-session', '-d', '-s', name, '-x', '160', '-y', '40', cmd]);
  const screen = async () => String((await execa('tmux', ['capture-pane', '-p', '-t', name], { reject: false })).stdout);
  const kill = async () => void (await execa('tmux', ['kill-session', '-t', name], { reject: false }));
  return {
    screen,
    keys: async (...keys) => void (await execa('tmux', ['send-keys', '-t', name, ...keys])),
    exit: async () => {
      await until(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 'the command to exit');
      const exitCode = Number(readFileSync(exitFile, 'utf8').trim());
      recordExit(exitCode, `relia ${args.join(' ')} (tty)`);
      const text = await screen();
      await kill();
      return { exitCode, screen: text };
    },
    kill,
  };
}
