/** A small `--flag value` parser for the CLIs: unknown flags and missing values are errors that name the flag. */
export type Flags = Record<string, string>;

export function parseFlags(argv: string[], known: string[], booleans: string[] = []): { flags: Flags; positional: string[] } {
  const flags: Flags = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (booleans.includes(name)) {
      flags[name] = inline ?? 'true';
      continue;
    }
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
    flags[name] = value;
  }
  return { flags, positional };
}

export class UsageError extends Error {}

export function numberFlag(flags: Flags, name: string, fallback: number, check: (x: number) => boolean, what: string): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!Number.isFinite(x) || !check(x)) throw new UsageError(`--${name} ${v}: expected ${what}`);
  return x;
}
