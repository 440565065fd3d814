/**
 * relia's `command_not_found` hook (package.json `oclif.hooks`). A mistyped
 * command never runs a guessed one: it prints the closest command as a
 * suggestion and exits 2 (usage error), on a TTY and off it, with the JSON
 * envelope under `--json` (or RELIA_CONTENT_TYPE=json). Replaces
 * @oclif/plugin-not-found, which asked "Did you mean …? (Y/n)" and ran the
 * guess on Enter, and exited 127 off a TTY.
 */
import { Errors, type Hook } from '@oclif/core';
import { ExitCode } from '../core/errors.js';
import { closestCommand } from '../core/suggest.js';

const hook: Hook.CommandNotFound = async function (opts) {
  const sep = opts.config.topicSeparator ?? ' ';
  const visible = opts.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  const typed = opts.id.replaceAll(':', sep);
  const guess = closestCommand(opts.id, visible);
  const bin = opts.config.bin;
  const topic = opts.id.split(':')[0] ?? '';
  const suggestions = [
    ...(guess ? [`did you mean \`${bin} ${guess.replaceAll(':', sep)}\`? (not run: type it to run it)`] : []),
    `\`${bin} help${topic && opts.config.findTopic(topic) ? ` ${topic}` : ''}\` lists the commands`,
  ];
  const message = `"${typed}" is not a ${bin} command`;
  const json = (opts.argv ?? []).includes('--json') || process.env.RELIA_CONTENT_TYPE === 'json';
  if (json) {
    const envelope = { status: ExitCode.Usage, error: { name: 'CommandNotFound', message, suggestions }, warnings: [] };
    process.stdout.write(`${JSON.stringify(envelope, null, 2)}\n`);
  } else {
    process.stderr.write(`Error: ${message}\n${suggestions.map((s) => `Try this: ${s}`).join('\n')}\n`);
  }
  // ExitError is not printed again by oclif's handler; it only sets the code.
  throw new Errors.ExitError(ExitCode.Usage);
};

export default hook;
