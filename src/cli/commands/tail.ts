import { parseCliArgs, wholeNumberFlag } from '../args';
import { UsageError, type CliCommand, type CliIO } from '../command';
import { CliFailure, connectFromFlags, connectionOptions, connectionUsage, type ConnectionFlagValues } from '../connectionFlags';
import { describeServers, jetStreamOptions } from '../../nats/profile';
import { serverText, reportReconnects } from '../connectionWatch';
import { humanLines, toNdjson } from '../../core/tail/ndjson';
import { parseStreamFrom, type TailSpec } from '../../core/tail/spec';
import type { TailEvent } from '../../core/tail/events';
import type { TailSession } from '../../nats/tail';

const usage = `Usage: nats-flow tail (--stream NAME [--from WHERE] [--filter SUBJ]... | --subject SUBJ [--queue Q]
                      | --kv BUCKET [--key PATTERN] [--history | --updates-only] [--from-revision N]
                      | --advisories) [--limit N] [--json] [flags]

Shows what flows, live, through the same engine as the VS Code tail panel.

Sources:
      --stream NAME        a stream, read with an ordered consumer of our own; WorkQueue and
                           Interest streams are viewed without consuming (direct get / message get)
      --from WHERE         new (default), all, last, last-per-subject, seq:N, time:ISO, time:-5m
      --filter SUBJ        only these subjects (repeat it; several need nats-server 2.10)
      --pending CONSUMER   with --stream: the messages CONSUMER has not had acknowledged (acks nothing)
      --view               with --stream: read without a consumer even on a limits stream
      --subject SUBJ       a core subscription (wildcards allowed); it only sees what is
                           published while it listens
      --queue Q            with --subject: join queue group Q
      --kv BUCKET          a KV watch: current values (bootstrap), a {"marker":"live"} line, then changes
      --key PATTERN        with --kv: keys matching PATTERN (default all)
      --history            with --kv: every kept revision first
      --updates-only       with --kv: no current values, only changes from now
      --from-revision N    with --kv: replay from revision N (first changes show the value
                           each key held at N-1; nats-server 2.11+)
      --advisories         JetStream advisories ($JS.EVENT.ADVISORY.>; with --js-domain D only
                           those of domain D, which arrive on the same subject)

Output:
  -j, --json               one JSON object per line:
                             stream/subject: {stream, seq, subject, time, headers, data}
                             kv: {bucket, key, revision, op, phase, prev: {revision, value} | null, value}
                             data/value are UTF-8 text, or base64 with "encoding":"base64"
                             markers: {"marker":"live"}, {"marker":"reconnecting"|"resumed"|…, text, time}
      --limit N            exit 0 after N messages (markers do not count)

Ctrl-C stops the tail and removes its consumer from the server. If the server goes away the
tail keeps reconnecting (at most 2 s apart, saying so on stderr) and resumes where it was; it
exits 1 only when the server refuses the credentials on its return, or goes away before the
tail has started (while it is still opening).

${connectionUsage}
`;

/** The spec the flags describe; exactly one source. */
export function specFromFlags(v: Record<string, string | boolean | string[] | undefined>): TailSpec {
  const sources = (['stream', 'subject', 'kv', 'advisories'] as const).filter((k) => v[k] !== undefined && v[k] !== false);
  if (sources.length === 0) throw new UsageError('say what to tail: --stream NAME, --subject SUBJ, --kv BUCKET or --advisories');
  if (sources.length > 1) throw new UsageError(`tail one source at a time (got ${sources.map((s) => `--${s}`).join(' and ')})`);
  const only = (flags: string[], source: string) => {
    for (const f of flags) if (v[f] !== undefined && v[f] !== false) throw new UsageError(`--${f} goes with ${source}`);
  };
  switch (sources[0]) {
    case 'stream': {
      only(['queue', 'key', 'history', 'updates-only', 'from-revision'], '--subject or --kv');
      let from;
      try {
        from = v.from === undefined ? undefined : parseStreamFrom(v.from as string);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const filters = (v.filter as string[] | undefined) ?? [];
      const spec: TailSpec = { kind: 'stream', stream: v.stream as string, ...(from ? { from } : {}), ...(filters.length ? { filters } : {}) };
      if (v.pending !== undefined) {
        if (from || filters.length) throw new UsageError('--pending starts at the consumer\'s ack floor with its filters: drop --from and --filter');
        spec.pendingOf = v.pending as string;
      }
      if (v.view) spec.read = 'view';
      return spec;
    }
    case 'subject':
      only(['from', 'filter', 'pending', 'view', 'key', 'history', 'updates-only', 'from-revision'], '--stream or --kv');
      return { kind: 'subject', subject: v.subject as string, ...(v.queue !== undefined ? { queue: v.queue as string } : {}) };
    case 'kv': {
      only(['from', 'filter', 'pending', 'view', 'queue'], '--stream or --subject');
      if (v.history && v['updates-only']) throw new UsageError('--history and --updates-only exclude each other');
      const fromRevision = wholeNumberFlag('--from-revision', v['from-revision'] as string | undefined);
      return {
        kind: 'kv',
        bucket: v.kv as string,
        ...(v.key !== undefined ? { key: v.key as string } : {}),
        ...(v.history ? { include: 'history' as const } : v['updates-only'] ? { include: 'updates' as const } : {}),
        ...(fromRevision ? { fromRevision } : {}),
      };
    }
    default:
      only(['from', 'filter', 'pending', 'view', 'queue', 'key', 'history', 'updates-only', 'from-revision'], 'another source');
      return { kind: 'advisories' };
  }
}

export const tailCommand: CliCommand = {
  name: 'tail',
  summary: 'Tail a stream, a subject, a KV watch or the JetStream advisories',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCliArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...connectionOptions,
        stream: { type: 'string' },
        from: { type: 'string' },
        filter: { type: 'string', multiple: true },
        pending: { type: 'string' },
        view: { type: 'boolean' },
        subject: { type: 'string' },
        queue: { type: 'string' },
        kv: { type: 'string' },
        key: { type: 'string' },
        history: { type: 'boolean' },
        'updates-only': { type: 'boolean' },
        'from-revision': { type: 'string' },
        advisories: { type: 'boolean' },
        limit: { type: 'string' },
        json: { type: 'boolean', short: 'j' },
      },
    });
    if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const spec = specFromFlags(values);
    const limit = wholeNumberFlag('--limit', values.limit) ?? Infinity;
    const json = values.json ?? false;

    // a tail reconnects for as long as it runs (as natscli's subscriptions do); it ends with an
    // error only when nats.js gives up: credentials refused twice in a row after a reconnect
    const { nc, profile } = await connectFromFlags(values as ConnectionFlagValues, io, { reconnectTimeWaitMs: 250 });
    const servers = describeServers(profile.servers);
    const reconnects = reportReconnects(io, nc, servers, 'tail');
    const { openTail, TailOpenInterrupted } = await import('../../nats/tail');
    const { KvFirstPrevious } = await import('../../nats/kvAsOf');
    let session: TailSession | undefined;
    let seen = 0;
    let stopping = false;
    // the first lines (mode, a view's first messages) are printed while openTail runs: a limit
    // reached then closes the session once openTail has handed it over
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void session?.close();
    };
    const format = json ? toNdjson : humanLines;
    const print = (batch: TailEvent[]) => {
      if (stopping) return;
      let out = '';
      for (const e of batch) {
        if (e.kind !== 'marker') {
          if (seen >= limit) break;
          seen++;
        }
        out += format(e) + '\n';
      }
      io.out(out);
      if (seen >= limit) stop();
    };
    // from revision N the first change of each key is still a transition: its previous value
    // is what the key held at N-1, read before that batch is printed (2.11+)
    const prevFill =
      spec.kind === 'kv' && spec.fromRevision && spec.fromRevision > 1
        ? new KvFirstPrevious({
            connection: () => nc,
            jetStreamOptions: () => jetStreamOptions(profile),
            bucket: spec.bucket,
            upTo: spec.fromRevision - 1,
            onUnavailable: (why) => io.err(`note: ${why}\n`),
          })
        : undefined;
    try {
      session = await openTail(nc, spec, {
        ...jetStreamOptions(profile),
        bufferSize: 1,
        onEvents: (batch: TailEvent[]) => (prevFill ? prevFill.push(batch, print) : print(batch)),
      });
    } catch (err) {
      await nc.close().catch(() => undefined);
      // the server went away while the tail opened: name it as the user gave it, as the other
      // commands do when their server goes away mid-command (connectionWatch.ts)
      const reason = err instanceof TailOpenInterrupted ? err.reason : err instanceof Error ? err.message : String(err);
      const lostAt = err instanceof TailOpenInterrupted ? err.server : reconnects.droppedWhileStarting();
      if (lostAt !== undefined) {
        throw new CliFailure(`lost the connection to ${serverText(servers, lostAt)}: the server went away or closed it while the tail was opening, so it did not start (${reason})`);
      }
      throw new CliFailure(reason);
    }
    reconnects.started();
    const opened = session;
    if (stopping) void opened.close();
    // Ctrl-C (and kill) end the tail cleanly: the consumer is deleted before we exit
    const onSignal = () => stop();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let lost: string | undefined;
    const { classifyConnectError } = await import('../../nats/connect');
    nc.closed().then((err) => {
      if (err && !stopping) {
        // e.g. the server came back with other credentials: name the server and the user
        const ce = classifyConnectError(err, profile);
        lost = `the connection closed and will not be retried, so the tail stopped: ${ce.message}${ce.hint ? `\n  hint: ${ce.hint}` : ''}`;
      }
      stop();
    });
    try {
      await opened.ended;
      await prevFill?.idle;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await nc.close().catch(() => undefined);
    }
    // the source went away under us (stream or bucket deleted): say so and fail, unlike
    // natscli, whose `nats sub --stream` and `nats kv watch` wait on silently
    const failure = opened.failure ?? lost;
    if (failure) throw new CliFailure(failure);
    return 0;
  },
};
