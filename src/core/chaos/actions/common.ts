/** Argument helpers every fault module shares. Pure. */
import { z } from 'zod';
import { parseDuration, parseRate } from '../../units.js';

/** A refinement problem at `path` (the schema's root when empty): parseWithSchema shows its path and message. */
export function issueAt(path: Array<string | number>, message: string) {
  // Stryker disable next-line StringLiteral: equivalent, schemaProblems prints the message of an issue whatever its code, and nothing else reads the code
  return { code: 'custom' as const, path, message };
}

/** The HTTP methods an http probe or a load action sends. */
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** An HTTP method in any case (chaostoolkit experiments write `get`), read upper-case; GET when absent. */
export const httpMethod = z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(HTTP_METHODS)).default('GET');

/** An http(s) URL with a host. */
export const httpUrl = z
  .string()
  // an http(s) scheme, then at least one host character
  .refine((v) => /^https?:\/\/[^\s/]/.test(v) && URL.canParse(v), { message: 'expected an http(s) URL such as http://127.0.0.1:8080/health' });

/**
 * A duration as `30s`/`1m30s`, or a number of seconds (chaostoolkit's form); parsed to whole milliseconds.
 * One that rounds to 0 ms (`0.0001`, `0.1ms`) is refused: it would mean "no time at all", never what was written.
 */
export function durationMs(example: string) {
  return z.union([z.number().positive(), z.string()]).transform((v, ctx) => {
    let out: number;
    try {
      // Stryker disable next-line StringLiteral: equivalent, this field name is never shown (the error is caught)
      out = Math.round((typeof v === 'number' ? v : parseDuration(v, 'duration')) * 1000);
    } catch {
      ctx.addIssue(`expected a duration such as ${example} or a number of seconds, got ${JSON.stringify(v)}`);
      return z.NEVER;
    }
    if (out < 1) {
      ctx.addIssue(`${JSON.stringify(v)} is under a millisecond (durations are whole milliseconds): use 1ms or more, such as ${example}`);
      return z.NEVER;
    }
    return out;
  });
}

/** A rate as `50/s`, `600/m`; parsed to events per second. */
export function ratePerSecond(example: string) {
  return z.union([z.number().positive(), z.string()]).transform((v, ctx) => {
    try {
      const bare = typeof v === 'number';
      // Stryker disable next-line StringLiteral: equivalent, this field name is never shown (the error is caught)
      return parseRate(v, 'rate', { allowBare: bare });
    } catch {
      ctx.addIssue(`expected a rate such as ${example}, got ${JSON.stringify(v)}`);
      return z.NEVER;
    }
  });
}

/** What an empty selector would select: everything. Refused (exit 2), never read as "all". */
export const EMPTY_SELECTOR = 'an empty selector would match every target: name at least one label (to act on everything, say so with a label every target carries)';

/** A label/tag map, or a Kubernetes-style `k=v,k2=v2` string; never empty (an empty selector matches everything). */
export const labelMap = z.union([z.record(z.string().min(1), z.string()), z.string()]).transform((v, ctx) => {
  let out: Record<string, string> = {};
  if (typeof v !== 'string') out = v;
  else {
    for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^([^=!\s]+)=([^=\s]*)$/.exec(part);
      if (!m) {
        ctx.addIssue(`expected key=value pairs such as app=api,tier=web, got ${JSON.stringify(part)}`);
        return z.NEVER;
      }
      out[m[1] as string] = m[2] as string;
    }
  }
  if (Object.keys(out).length === 0) {
    ctx.addIssue(EMPTY_SELECTOR);
    return z.NEVER;
  }
  return out;
});

/** What a backslash escapes inside double quotes (POSIX); before any other character it stays a backslash. */
const DQ_ESCAPES = new Set(['"', '\\', '$', '`']);

/** Split a command line the way a POSIX shell splits words (quotes and backslashes; no expansion). */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else cur += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && DQ_ESCAPES.has(line[i + 1] as string)) cur += line[++i];
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote !== null) return null;
  if (inWord) out.push(cur);
  return out;
}

/** `host:port` → parts; a bare port means 127.0.0.1. */
export const hostPort = z.union([z.number().int().min(0).max(65535), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return { host: '127.0.0.1', port: v };
  const m = /^(?:\[?([^\]]*?)\]?:)?(\d{1,5})$/.exec(v.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) {
    ctx.addIssue(`expected HOST:PORT such as 127.0.0.1:8080, got ${JSON.stringify(v)}`);
    return z.NEVER;
  }
  return { host: m[1] || '127.0.0.1', port };
});

export function ms(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}s` : `${n}ms`;
}

/**
 * A measured value as one command-line word (a `probe` tolerance's `value`):
 * text as it is, numbers and booleans as written, anything else as JSON
 * (chaostoolkit writes Python's repr; JSON is what a script can parse).
 */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  // booleans too: JSON writes them as written
  return JSON.stringify(value) ?? 'null';
}
