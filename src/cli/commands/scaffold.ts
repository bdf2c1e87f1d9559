/**
 * `nats-flow scaffold <pattern> --lang ts|go|python --out DIR [...]` — writes a buildable
 * project for one of the five patterns and prints the files it wrote.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseCliArgs } from '../args';
import { UsageError, type CliCommand, type CliIO } from '../command';
import { parseEnv, parseReplicasCapFlag, readDesign } from './designFile';
import { CliFailure, connectFromFlags, connectionOptions, connectionUsage, type ConnectionFlagValues } from '../connectionFlags';
import { decide, type KvSuggestion, type StreamSuggestion } from '../../core/decide';
import { designScaffoldFiles, handlerPath, LANGS, PATTERNS, scaffold, scaffoldDesign, ScaffoldInputError, type ScaffoldFile, type ScaffoldLang, type ScaffoldOptions, type ScaffoldPattern } from '../../core/scaffold';
import { jetStreamOptions, liveScaffoldOptions } from '../../nats';

const usage = `Usage: nats-flow scaffold <pattern> --lang ts|go|python --out DIR [options]
       nats-flow scaffold --design FILE [--path ID] --lang ts|go|python --out DIR [--env ENV] [--replicas-cap N]

Writes a buildable project (TypeScript on nats.js v3, Go on nats.go's jetstream package,
Python on nats-py) with the NATS wiring apart from the handler you fill in.

Patterns:
  worker       work-queue worker: durable pull consumer, explicit ack, backoff, in-progress
               acks, term for poison, a DLQ fed by the max-deliveries advisory
  listener     fan-out listener: one durable consumer per service, idempotent handling
  kv-watcher   KV watcher: bootstrap vs live (also an empty bucket), transitions, resume
               from its last revision, compare-and-set update helper
  publisher    idempotent publisher: Nats-Msg-Id, awaits the ack, reports duplicates
  responder    request/reply: a responder (queue group) and a requester

Options:
  --pattern NAME          the pattern (instead of the positional)
  --lang ts|go|python     language (required)
  --out DIR               where to write the project (required)
  --stream NAME           stream name
  --consumer NAME         durable consumer name
  --subject SUBJECT       subject to publish / request on
  --bucket NAME           KV bucket
  --key PATTERN           KV key pattern to watch (default >)
  --decide "TEXT"         take names and settings from a Decide result for this description
  --live                  read the named stream/consumer/bucket from the server and use
                          their real settings (connection flags below)
  --project NAME          project / module name
  --design FILE           scaffold from a flow design (*.natsflow.json) with its planned
                          settings: every path (one folder per component and a README),
                          or only --path ID
  --path ID               the design path to scaffold (with --design)
  --env ENV               plan the design for development|production (with --design)
  --replicas-cap N        give the streams and buckets the code creates when missing at most
                          N replicas (with --design; as apply --replicas-cap N does)
  --force                 overwrite files that already exist in DIR
  -h, --help              show this help

${connectionUsage}
`;

export const scaffoldCommand: CliCommand = {
  name: 'scaffold',
  summary: 'Write consumer/publisher code (TypeScript, Go, Python) that builds and runs',
  usage,
  async run(argv, io) {
    let parsed;
    try {
      parsed = parseCliArgs({
        args: argv,
        strict: true,
        allowPositionals: true,
        options: {
          ...connectionOptions,
          pattern: { type: 'string' },
          lang: { type: 'string' },
          out: { type: 'string' },
          stream: { type: 'string' },
          consumer: { type: 'string' },
          subject: { type: 'string' },
          bucket: { type: 'string' },
          key: { type: 'string' },
          decide: { type: 'string' },
          live: { type: 'boolean', default: false },
          project: { type: 'string' },
          force: { type: 'boolean', default: false },
          design: { type: 'string' },
          path: { type: 'string' },
          env: { type: 'string' },
          'replicas-cap': { type: 'string' },
        },
      });
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    const { values, positionals } = parsed;
    if (values.design !== undefined) return scaffoldFromDesign(values, positionals, io);
    if (values.path !== undefined || values.env !== undefined || values['replicas-cap'] !== undefined) throw new UsageError('--path, --env and --replicas-cap go with --design FILE');
    const pattern = values.pattern ?? positionals[0];
    if (positionals.length > (values.pattern ? 0 : 1)) throw new UsageError(`unexpected arguments: ${positionals.slice(values.pattern ? 0 : 1).join(' ')}`);
    if (!pattern) throw new UsageError(`give a pattern: ${PATTERNS.join(', ')}`);
    if (!(PATTERNS as readonly string[]).includes(pattern)) throw new UsageError(`unknown pattern "${pattern}"; use one of ${PATTERNS.join(', ')}`);
    if (!values.lang) throw new UsageError(`--lang is required: ${LANGS.join(', ')}`);
    if (!(LANGS as readonly string[]).includes(values.lang)) throw new UsageError(`--lang must be one of ${LANGS.join('|')} (got "${values.lang}")`);
    if (!values.out) throw new UsageError('--out DIR is required');

    let options: ScaffoldOptions = {
      pattern: pattern as ScaffoldPattern,
      lang: values.lang as ScaffoldLang,
      stream: values.stream,
      consumer: values.consumer,
      subject: values.subject,
      bucket: values.bucket,
      key: values.key,
      project: values.project,
    };
    if (values.decide !== undefined) {
      const decision = decide({ description: values.decide });
      const suggestion = decision.config;
      if (decision.primitive === 'undecided' || !('kind' in suggestion)) {
        throw new UsageError(`Decide could not decide for "${values.decide}": add more detail, or give names with --stream/--bucket`);
      }
      options = { ...options, suggestion: suggestion as KvSuggestion | StreamSuggestion, source: `a Decide result ("${values.decide.slice(0, 80)}")` };
    }
    if (values.live) {
      if (!values.stream && !values.bucket) throw new UsageError('--live needs --stream (and --consumer) or --bucket to read');
      const { nc, profile } = await connectFromFlags(values as ConnectionFlagValues, io);
      try {
        options = { ...options, ...(await liveScaffoldOptions(nc, { stream: values.stream, consumer: values.consumer, bucket: values.bucket }, jetStreamOptions(profile))) };
      } catch (e) {
        throw new CliFailure(`could not read the live settings: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await nc.close().catch(() => undefined);
      }
    }

    let result;
    try {
      result = scaffold(options);
    } catch (e) {
      if (e instanceof ScaffoldInputError) throw new UsageError(e.message);
      throw e;
    }
    const dir = resolve(values.out);
    if (!writeFiles(dir, result.files, values.force ?? false, io)) return 1;
    io.out(`Wrote ${result.spec.pattern} (${result.spec.lang}) to ${dir}, settings from ${result.spec.source}:\n`);
    for (const f of result.files) io.out(`  ${f.path}${f.path === handlerPath(result.spec) ? '   <- your code' : ''}\n`);
    return 0;
  },
};

/** Writes every file, or nothing when some already exist and --force is not given. */
function writeFiles(dir: string, files: readonly ScaffoldFile[], force: boolean, io: CliIO): boolean {
  const existing = files.filter((f) => existsSync(join(dir, f.path)));
  if (existing.length && !force) {
    io.err(`nats-flow scaffold: ${existing.length} file(s) already exist in ${dir}, nothing written:\n${existing.map((f) => `  ${f.path}`).join('\n')}\nUse --force to overwrite them, or another --out.\n`);
    return false;
  }
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return true;
}

interface DesignFlagValues {
  design?: string;
  path?: string;
  env?: string;
  'replicas-cap'?: string;
  lang?: string;
  out?: string;
  force?: boolean;
  pattern?: string;
  stream?: string;
  consumer?: string;
  bucket?: string;
  decide?: string;
  live?: boolean;
}

function scaffoldFromDesign(values: DesignFlagValues, positionals: string[], io: CliIO): number {
  const clash = (['pattern', 'stream', 'consumer', 'bucket', 'decide'] as const).filter((k) => values[k] !== undefined);
  if (positionals.length || clash.length || values.live) throw new UsageError(`--design takes the patterns and names from the design's plan; drop ${[...positionals, ...clash.map((k) => `--${k}`), ...(values.live ? ['--live'] : [])].join(', ')}`);
  if (!values.lang) throw new UsageError(`--lang is required: ${LANGS.join(', ')}`);
  if (!(LANGS as readonly string[]).includes(values.lang)) throw new UsageError(`--lang must be one of ${LANGS.join('|')} (got "${values.lang}")`);
  if (!values.out) throw new UsageError('--out DIR is required');
  const cap = parseReplicasCapFlag(values['replicas-cap']);
  const design = readDesign(values.design);
  let result;
  try {
    result = scaffoldDesign(design, values.lang as ScaffoldLang, values.path, { environment: parseEnv(values.env), ...(cap !== undefined ? { maxReplicas: cap, maxReplicasReason: `--replicas-cap ${cap}` } : {}) });
  } catch (e) {
    if (e instanceof ScaffoldInputError) throw new UsageError(e.message);
    throw e;
  }
  if (!result.units.length) {
    io.err(`nats-flow scaffold: nothing to generate:\n${result.skipped.map((s) => `  path ${s.path}: ${s.reason}`).join('\n')}\n`);
    return 1;
  }
  const files = designScaffoldFiles(design, result, { designFile: basename(values.design!), whole: values.path === undefined });
  const dir = resolve(values.out);
  if (!writeFiles(dir, files, values.force ?? false, io)) return 1;
  io.out(`Wrote ${result.units.length} project(s) (${values.lang}) from design "${design.name}" to ${dir}, with the planned settings:\n`);
  for (const u of result.units) io.out(`  ${files.length && values.path !== undefined && result.units.length === 1 ? '.' : u.dir}  ${u.side} of ${u.path}: ${u.pattern} (${u.component})\n`);
  for (const s of result.skipped) io.out(`  skipped ${s.path}: ${s.reason}\n`);
  const capped = result.replicas.capped;
  if (capped.length) io.out(`Replicas capped at ${cap} as asked (the code creates these with ${cap} when missing):\n${capped.map((o) => `  ${o.object}: ${o.planned} → ${o.capped}`).join('\n')}\n`);
  return 0;
}
