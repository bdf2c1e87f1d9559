/**
 * Argument parsing every `nats-flow` command shares: node's parseArgs, except that a value
 * that looks like a negative number (`--count -1`, `--replicas-cap -1`, `--timeout -5s`) is
 * taken as the flag's value. parseArgs refuses those as "ambiguous" (the value might be a
 * forgotten option) with a message that names neither what is allowed nor the value; no
 * `nats-flow` option looks like `-1`, so the value goes to the command, whose own check names
 * the flag, the value and what is allowed.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `argv` with every string option followed by a negative-number-like token joined into
 * `--name=value` (short forms too: `-H -1` becomes `--header=-1`). Nothing after `--`.
 */
export function joinNegativeValues(argv: readonly string[], options: ParseArgsConfig['options'] = {}): string[] {
  const longOf = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== 'string') continue;
    longOf.set(`--${name}`, name);
    if (o.short) longOf.set(`-${o.short}`, name);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const name = longOf.get(a);
    const next = argv[i + 1];
    if (name !== undefined && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/** parseArgs over the joined argv (see above). Its own errors stay as they are: main reports them as bad usage. */
export function parseCliArgs<T extends ParseArgsConfig & { args: string[] }>(config: T): ReturnType<typeof parseArgs<T>> {
  return parseArgs({ ...config, args: joinNegativeValues(config.args, config.options) });
}

/**
 * A flag that takes a whole number of at least `min` (default 1): undefined when not given,
 * bad usage naming the flag, the value and what is allowed otherwise.
 */
export function wholeNumberFlag(flag: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new UsageError(`${flag} "${value}" is not a ${min === 1 ? 'positive whole number' : `whole number of at least ${min}`}`);
  }
  return n;
}

/**
 * The argument parseArgs refused as an unknown option, whole (`-.5`, `-q5`, `--foo=bar`):
 * parseArgs names only the part it could not read (`-.`, `-5`, `--foo`). Skips the values of
 * string options and stops at `--`; undefined when every option is known.
 */
export function unknownOptionArg(argv: readonly string[], options: ParseArgsConfig['options'] = {}): string | undefined {
  const long = new Map<string, 'string' | 'boolean'>();
  const short = new Map<string, 'string' | 'boolean'>();
  for (const [name, o] of Object.entries(options)) {
    long.set(name, o.type);
    if (o.short) short.set(o.short, o.type);
  }
  const args = joinNegativeValues(argv, options);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    if (a === '-' || !a.startsWith('-')) continue;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const type = long.get(a.slice(2, eq < 0 ? undefined : eq));
      if (type === undefined) return a;
      if (type === 'string' && eq < 0) i++;
      continue;
    }
    // a short group: booleans, and at most one string option whose value is the rest or the next argument
    for (let c = 1; c < a.length; c++) {
      const type = short.get(a[c]!);
      if (type === undefined) return a;
      if (type === 'string') {
        if (c === a.length - 1) i++;
        break;
      }
    }
  }
  return undefined;
}
