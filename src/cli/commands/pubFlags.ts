/** What `pub` and `req` share: natscli's --header K:V flags and the DATA | - argument. */
import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { parseCliArgs, unknownOptionArg } from '../args';
import { UsageError } from '../command';
import { subjectProblem } from '../../core/tail/spec';

/**
 * Parses `verb SUBJECT [DATA|-] [flags]`. DATA that starts with a dash goes after `--`, as with
 * natscli (`nats pub subj -- -5`; natscli too refuses `nats pub subj -5` as an unknown flag):
 * an argument that is no flag of ours is bad usage saying so and showing how to send it as DATA.
 */
export function parseDataArgs<O extends NonNullable<ParseArgsConfig['options']>>(verb: string, argv: string[], options: O) {
  try {
    return parseCliArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (err) {
    const arg = (err as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownOptionArg(argv, options) : undefined;
    if (arg === undefined) throw err;
    throw new UsageError(`"${arg}" is not a flag of ${verb}. DATA that starts with a dash goes after "--": nats-flow ${verb} SUBJECT -- ${shellWord(arg)}`);
  }
}

/** `arg` as one shell word: as it is when that is safe, else in single quotes. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `SUBJECT [DATA|-]`: a concrete subject and at most one DATA argument. */
export function subjectAndData(positionals: string[], verb: string): { subject: string; raw: string | undefined } {
  const [subject, raw, ...extra] = positionals;
  if (!subject) throw new UsageError(`${verb} needs a SUBJECT`);
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')} (quote DATA that has spaces)`);
  const bad = subjectProblem(subject, false);
  if (bad) throw new UsageError(`subject "${subject}" ${bad}`);
  return { subject, raw };
}

/** `--header K:V` (repeatable, as natscli `-H`). */
export function parseHeaderFlags(values: string[] | undefined): MsgHdrs | undefined {
  if (!values?.length) return undefined;
  const h = natsHeaders();
  for (const v of values) {
    const i = v.indexOf(':');
    if (i <= 0) throw new UsageError(`--header "${v}" is not NAME:VALUE`);
    const name = v.slice(0, i).trim();
    if (!/^[!-9;-~]+$/.test(name)) throw new UsageError(`--header "${v}": "${name}" is not a valid header name`);
    h.append(name, v.slice(i + 1).trim());
  }
  return h;
}

/** DATA as given, or standard input for "-" (bytes kept as they are). */
export function readData(arg: string | undefined): Uint8Array {
  if (arg === undefined) return new Uint8Array(0);
  if (arg === '-') return new Uint8Array(readFileSync(0));
  return new TextEncoder().encode(arg);
}

/** natscli templates in the body for --count: {{Count}} / {{.Count}} and {{TimeStamp}}. */
export function renderBody(data: Uint8Array, count: number, raw: string | undefined): Uint8Array {
  if (raw === undefined || raw === '-' || !raw.includes('{{')) return data;
  const text = raw.replace(/\{\{\s*\.?Count\s*\}\}/g, String(count)).replace(/\{\{\s*\.?TimeStamp\s*\}\}/g, new Date().toISOString());
  return new TextEncoder().encode(text);
}

export function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}
