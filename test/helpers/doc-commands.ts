/**
 * Every `relia …` command line in Markdown, and its check against the
 * commands' manifest (test/helpers/command-manifest.ts): the command exists,
 * every flag exists for it under its current spelling, and required flags and
 * arguments are given (unless the line asks for --help).
 *
 * Found in fenced code blocks (`$ relia …` or `relia …`, also after a pipe or
 * `&&`, continued over lines ending in a backslash), in inline code spans
 * (`` `relia …` ``), and in Kubernetes `args: [cache, warm, …]` lists of a
 * manifest whose command is relia. Usage synopses (`[--slo FILE | --slo-file F]`)
 * are read the same way: the bracketed alternatives are flags too.
 */
import type { ManifestCommand, ManifestFlag } from './command-manifest.js';

export interface DocCommand {
  file: string;
  line: number;
  /** The words after `relia`, unquoted. */
  words: string[];
  text: string;
  /**
   * `block`: a command line of a code block, checked in full. `inline`: a
   * mention in prose (`` `relia risk score` ``): its command and flags are
   * checked, not that it is complete; a span that names no flag and no
   * command (output quoted in prose) is not a command line.
   */
  kind: 'block' | 'inline';
}

/** Shell-like words of a command line, cut at an unquoted pipe, `;`, `&&`, redirection or comment (a synopsis's `[a | b]` is not a pipe). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, i + 1);
      const end = close < 0 ? text.length : close;
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
      continue;
    }
    if (word === null && ch === '[') depth++;
    if (ch === ']' && depth > 0) {
      depth--;
      if (word !== null) words.push(word);
      word = null;
      continue;
    }
    if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
      continue;
    }
    if (depth === 0 && word === null && (ch === '|' || ch === ';' || ch === '>' || ch === '<' || ch === '#' || (ch === '&' && text[i + 1] === '&'))) break;
    if (depth === 0 && word !== null && (ch === '>' || ch === '<') && /^\d$/.test(word)) break; // 2>&1, 2>/dev/null
    if (word === null && (ch === '[' || ch === '|')) continue;
    word = (word ?? '') + ch;
  }
  if (word !== null) words.push(word);
  return words.map((w) => w.replace(/(\.\.\.|…)$/, '')).filter((w) => w !== '' && w !== '...' && w !== '…');
}

/** A command at the start of a line (after a `$ ` prompt and VAR=value assignments) or after a shell pipe or `&&`. */
const RELIA = /(?:^(?:\$\s+)?|\s\|\s+|\s&&\s+)(?:[A-Z_][A-Z0-9_]*=\S*\s+)*relia\s+(.*)$/;

/** The relia command lines of one Markdown file. */
export function extractDocCommands(file: string, markdown: string): DocCommand[] {
  const out: DocCommand[] = [];
  const lines = markdown.split('\n');
  let fence: string | null = null;
  let kubeRelia = false;
  let prompts = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const fenceMark = /^\s*(```|~~~)/.exec(raw)?.[1];
    if (fenceMark) {
      fence = fence === null ? fenceMark : fence === fenceMark ? null : fence;
      kubeRelia = false;
      // a console block: only its $-prompt lines are commands (the rest is output)
      if (fence !== null) {
        const body = lines.slice(i + 1, lines.findIndex((l, j) => j > i && /^\s*(```|~~~)/.test(l)));
        prompts = body.some((l) => /^\s*\$ /.test(l));
      }
      continue;
    }
    if (fence !== null) {
      if (/^\s*(command|-\s*command):\s*\[\s*relia\s*\]/.test(raw) || /^\s*command:\s*\[["']?relia/.test(raw)) kubeRelia = true;
      const args = /^\s*args:\s*\[(.*)\]\s*$/.exec(raw)?.[1];
      if (args !== undefined && kubeRelia) {
        const words = args.split(',').map((a) => a.trim().replace(/^['"]|['"]$/g, ''));
        out.push({ file, line: i + 1, words, text: `relia ${words.join(' ')}`, kind: 'block' });
        continue;
      }
      if (prompts && !/^\s*\$ /.test(raw)) continue;
      const m = RELIA.exec(raw.replace(/^\s+/, ''));
      if (!m) continue;
      let text = m[1] as string;
      const start = i;
      while (/\\\s*$/.test(text) && i + 1 < lines.length) text = `${text.replace(/\\\s*$/, ' ')}${(lines[++i] as string).trim()}`;
      out.push({ file, line: start + 1, words: shellWords(text), text: `relia ${text}`, kind: 'block' });
      continue;
    }
    for (const span of raw.matchAll(/`relia ([^`]+)`/g)) {
      const text = span[1] as string;
      out.push({ file, line: i + 1, words: shellWords(text), text: `relia ${text}`, kind: 'inline' });
    }
  }
  return out;
}

/** Commands that are not relia's own but come with it (oclif plugins) and take anything. */
const PLUGIN_TOPICS = new Set(['help', 'plugins', 'autocomplete']);

/** What is wrong with a command line, or [] when it fits the manifest. */
export function checkDocCommand(cmd: DocCommand, commands: readonly ManifestCommand[]): string[] {
  const words = cmd.words;
  const first = words[0];
  if (first !== undefined && !first.startsWith('-') && cmd.kind === 'block' && !PLUGIN_TOPICS.has(first) && !commands.some((c) => c.id.split(' ')[0] === first)) return [`no command "relia ${first}"`];
  if (first === undefined || first.startsWith('-')) return words.every((w) => ['--help', '-h', '--version', '-v'].includes(w)) ? [] : [`relia ${words.join(' ')}: only --help and --version go without a command`];
  if (PLUGIN_TOPICS.has(first)) return [];
  const ids = new Set(commands.map((c) => c.id));
  const topics = new Set(commands.flatMap((c) => (c.id.includes(' ') ? [c.id.split(' ')[0] as string] : [])));
  let n = 0;
  while (n < words.length && !(words[n] as string).startsWith('-') && ids.has(words.slice(0, n + 1).join(' ')) === false && topics.has(words.slice(0, n + 1).join(' '))) n++;
  const id = words.slice(0, n + 1).join(' ');
  const command = commands.find((c) => c.id === id);
  if (!command) {
    const topic = words.slice(0, n).join(' ');
    if (topics.has(topic) && (words.length === n || words.slice(n).every((w) => w === '--help' || w === '-h'))) return [];
    if (cmd.kind === 'inline' && !words.some((w) => w.startsWith('-'))) return [];
    return [`no command "relia ${id}"`];
  }
  const rest = words.slice(n + 1);
  const help = rest.includes('--help') || rest.includes('-h');
  const problems: string[] = [];
  const byLong = new Map<string, { flag: ManifestFlag; deprecated: boolean }>();
  const byChar = new Map<string, { flag: ManifestFlag; deprecated: boolean }>();
  for (const f of Object.values(command.flags)) {
    byLong.set(f.name, { flag: f, deprecated: false });
    for (const a of f.aliases) byLong.set(a, { flag: f, deprecated: f.deprecateAliases });
    if (f.char) byChar.set(f.char, { flag: f, deprecated: false });
    for (const c of f.charAliases) byChar.set(c, { flag: f, deprecated: true });
  }
  const given = new Set<string>();
  let positional = 0;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i] as string;
    if (w === '--') {
      positional += rest.length - i - 1;
      break;
    }
    let hit: { flag: ManifestFlag; deprecated: boolean } | undefined;
    let inline = false;
    if (w.startsWith('--')) {
      const name = w.slice(2).split('=')[0] as string;
      inline = w.includes('=');
      if (name === 'help') continue;
      hit = byLong.get(name);
      if (!hit && name.startsWith('no-') && byLong.get(name.slice(3))?.flag.type === 'boolean') hit = byLong.get(name.slice(3));
      if (!hit) {
        problems.push(`relia ${id}: no flag --${name}`);
        continue;
      }
      if (hit.deprecated) problems.push(`relia ${id}: --${name} is a deprecated spelling of --${hit.flag.name}`);
    } else if (/^-[A-Za-z]/.test(w)) {
      const c = w.charAt(1);
      inline = w.length > 2;
      if (c === 'h') continue;
      hit = byChar.get(c);
      if (!hit) {
        problems.push(`relia ${id}: no flag -${c}`);
        continue;
      }
      if (hit.deprecated) problems.push(`relia ${id}: -${c} is a deprecated spelling of --${hit.flag.name}`);
    } else {
      positional++;
      continue;
    }
    given.add(hit.flag.name);
    if (hit.flag.type === 'option' && !inline) i++; // its value
  }
  if (!help && cmd.kind === 'block') {
    for (const f of Object.values(command.flags)) if (f.required && !given.has(f.name)) problems.push(`relia ${id}: the required --${f.name} is missing`);
    const required = command.args.filter((a) => a.required).length;
    if (positional < required) problems.push(`relia ${id}: needs ${command.args.filter((a) => a.required).map((a) => a.name.toUpperCase()).join(' ')}`);
  }
  return problems;
}
