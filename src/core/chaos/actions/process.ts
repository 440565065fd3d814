/**
 * Process faults and probes through the process port: signal one process
 * named by pid or pid file (never by name pattern: a pattern can match the
 * wrong process), and run a command as an action or a probe (also the
 * chaostoolkit `process` provider: path, arguments, timeout).
 */
import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { ProcessSignal, RunResult } from '../../../ports/process.js';
import type { ActionDefinition, ActivityContext, ActivityPlan, ProbeDefinition } from '../activity.js';
import { durationMs, issueAt, ms, splitArgs, valueText } from './common.js';

const SIGNALS = ['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGSTOP', 'SIGCONT', 'SIGUSR1', 'SIGUSR2'] as const;

const SignalArgs = z
  .strictObject({
    pid: z.number().int().gt(1, { message: 'pid must name one process (greater than 1)' }).optional(),
    pidFile: z.string().min(1).optional(),
    signal: z.enum(SIGNALS).default('SIGTERM'),
  })
  .superRefine((a, ctx) => {
    if ((a.pid === undefined) === (a.pidFile === undefined)) {
      ctx.addIssue(issueAt(['pid'], 'name the process by exactly one of pid or pidFile (never by name pattern)'));
    }
  });
export type SignalArgs = z.infer<typeof SignalArgs>;

async function resolvePid(args: SignalArgs, ctx: ActivityContext): Promise<{ pid: number; field: string }> {
  const processes = await ctx.ports.get('process');
  const pid = args.pid ?? (await processes.readPidFile(args.pidFile as string));
  const field = args.pid !== undefined ? 'pid' : 'pidFile';
  if (!(await processes.alive(pid))) {
    throw new InputError(`${field}: no process with pid ${pid}${args.pidFile ? ` (from ${args.pidFile})` : ''}`, {
      field,
      suggestions: ['check that the service is running', args.pidFile ? 'the pid file may be stale: restart the service' : 'check the pid with ps'],
    });
  }
  return { pid, field };
}

export const processSignal: ActionDefinition<SignalArgs> = {
  type: 'process.signal',
  summary: 'Send a signal to one process named by pid or pid file (SIGSTOP is undone with SIGCONT)',
  args: SignalArgs,
  async plan(args, ctx): Promise<ActivityPlan> {
    const { pid } = await resolvePid(args, ctx);
    return {
      targets: [{ kind: 'process', id: String(pid), ...(args.pidFile ? { detail: args.pidFile } : {}) }],
      does: `send ${args.signal} to pid ${pid}`,
      undo: args.signal === 'SIGSTOP' ? `send SIGCONT to pid ${pid}` : 'nothing to undo: a supervisor is expected to restart it',
    };
  },
  async run(args, ctx) {
    const { pid, field } = await resolvePid(args, ctx);
    const processes = await ctx.ports.get('process');
    const sent = await processes.signal(pid, args.signal as ProcessSignal);
    if (sent === 'absent') throw new InputError(`${field}: pid ${pid} exited before the signal`, { field, suggestions: ['check that the service is running'] });
    if (args.signal === 'SIGSTOP') {
      ctx.inject({
        description: `pid ${pid} stopped (SIGSTOP)`,
        manualUndo: `kill -CONT ${pid}`,
        async undo(u) {
          const p = await u.ports.get('process');
          await p.signal(pid, 'SIGCONT');
        },
      });
    }
    ctx.log('process.signalled', { pid, signal: args.signal });
    return { pid, signal: args.signal };
  },
};

/** The chaostoolkit `process` provider's fields, plus cwd/env/input. */
const CommandArgs = z.strictObject({
  path: z.string().min(1),
  arguments: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]).default([]),
  /** Seconds (chaostoolkit) or a duration. */
  timeout: durationMs('30s').default(30_000),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  input: z.string().optional(),
});
export type CommandArgs = z.infer<typeof CommandArgs>;

function argv(args: CommandArgs): string[] {
  if (Array.isArray(args.arguments)) return args.arguments.map(String);
  const split = splitArgs(args.arguments);
  if (split === null) throw new InputError(`arguments: unbalanced quote in ${JSON.stringify(args.arguments)}`, { field: 'arguments', suggestions: ['close the quote, or give the arguments as a list'] });
  return split;
}

export interface CommandOutput {
  /** The exit code (chaostoolkit's `status`); null when killed by a signal or the timeout. */
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  signal?: string;
}

async function runCommand(args: CommandArgs, ctx: ActivityContext): Promise<CommandOutput> {
  const processes = await ctx.ports.get('process');
  const res: RunResult = await processes.run(args.path, argv(args), {
    timeoutMs: args.timeout,
    signal: ctx.signal,
    ...(args.cwd !== undefined ? { cwd: args.cwd } : {}),
    ...(args.env !== undefined ? { env: args.env } : {}),
    ...(args.input !== undefined ? { input: args.input } : {}),
  });
  const out: CommandOutput = { status: res.exitCode, stdout: res.stdout, stderr: res.stderr, timedOut: res.timedOut, durationMs: res.durationMs };
  if (res.signal !== undefined) out.signal = res.signal;
  return out;
}

function planCommand(args: CommandArgs, verb: string): ActivityPlan {
  return {
    targets: [{ kind: 'command', id: args.path, detail: argv(args).join(' ') }],
    does: `${verb} ${[args.path, ...argv(args)].join(' ')} (timeout ${ms(args.timeout)})`,
    undo: verb === 'run' ? 'nothing to undo: list a rollback that reverses it' : 'nothing to undo',
  };
}

export const processRun: ActionDefinition<CommandArgs> = {
  type: 'process.run',
  summary: 'Run a command as an action (exit code, stdout and stderr in the journal)',
  args: CommandArgs,
  plan: async (args) => planCommand(args, 'run'),
  run: (args, ctx) => runCommand(args, ctx),
};

export const processProbe: ProbeDefinition<CommandArgs> = {
  type: 'process.run',
  summary: 'Run a command and report its exit code and output (the chaostoolkit process provider)',
  args: CommandArgs,
  plan: async (args) => planCommand(args, 'probe with'),
  run: (args, ctx) => runCommand(args, ctx),
  // chaostoolkit sets `arguments.value`, and a mapping of arguments becomes `key value` pairs: `... value <the value>`.
  withValue: (args, value) => ({ ...args, arguments: [...argv(args), 'value', valueText(value)] }),
};
