/**
 * Deprecated flag spellings (docs/flags.md#deprecated-spellings).
 *
 * A renamed flag keeps its old name as an oclif alias (`aliases` for a long
 * name, `charAliases` for a short char) with `deprecateAliases: true`, so the
 * old spelling still parses, the manifest records it, and the glossary test
 * can check it. This module finds which deprecated spellings an argv used —
 * `--keys F`, `--keys=F`, `-s F`, `-sF` — so the base command can print one
 * warning line per spelling. (oclif's own check matches only the bare token,
 * so it misses `--keys=F` and `-sF`.)
 */

/** The version in which deprecated spellings stop working. */
export const DEPRECATED_SPELLINGS_REMOVED_IN = '0.3.0';

export interface AliasedFlag {
  name?: string | undefined;
  char?: string | undefined;
  aliases?: readonly string[] | undefined;
  charAliases?: readonly string[] | undefined;
  deprecateAliases?: boolean | undefined;
}

export interface DeprecatedUse {
  /** As typed: `--keys` or `-s`. */
  used: string;
  /** What to type instead: `--source` (with its char when it has one: `--source (-s)`). */
  preferred: string;
}

/** The deprecated spellings in argv (before `--`), each once, in order of first use. */
export function deprecatedUses(argv: readonly string[], flags: Readonly<Record<string, AliasedFlag>>): DeprecatedUse[] {
  const longs = new Map<string, string>();
  const chars = new Map<string, string>();
  for (const [key, flag] of Object.entries(flags)) {
    if (flag.deprecateAliases !== true) continue;
    const name = flag.name ?? key;
    const preferred = flag.char ? `--${name} (-${flag.char})` : `--${name}`;
    for (const a of flag.aliases ?? []) longs.set(a, preferred);
    for (const c of flag.charAliases ?? []) chars.set(c, preferred);
  }
  const found = new Map<string, string>();
  for (const token of argv) {
    if (token === '--') break;
    if (token.startsWith('--')) {
      const name = token.slice(2).split('=')[0] as string;
      const preferred = longs.get(name);
      if (preferred !== undefined && !found.has(`--${name}`)) found.set(`--${name}`, preferred);
    } else if (/^-[A-Za-z]/.test(token)) {
      const c = token.charAt(1);
      const preferred = chars.get(c);
      if (preferred !== undefined && !found.has(`-${c}`)) found.set(`-${c}`, preferred);
    }
  }
  return [...found].map(([used, preferred]) => ({ used, preferred }));
}

/** The one-line warning for a deprecated spelling. */
export function deprecationWarning(use: DeprecatedUse): string {
  return `${use.used} is deprecated here: use ${use.preferred}; the old spelling stops working in relia ${DEPRECATED_SPELLINGS_REMOVED_IN} (docs/flags.md)`;
}
