/** The README written into every scaffolded project: how to build and run it against the sandbox. */
import type { ScaffoldSpec } from './spec';
import { PATTERN_LABELS, LANG_LABELS } from './spec';

const BUILD: Record<ScaffoldSpec['lang'], { build: string; run: (entry: string, args: string) => string }> = {
  ts: { build: 'npm install && npm run build', run: (e, a) => `node dist/${e}.js${a}` },
  go: { build: 'go build ./...', run: (e, a) => `go run ${e === 'main' ? '.' : './cmd/' + e}${a}` },
  python: { build: 'python3 -m venv .venv && .venv/bin/pip install -r requirements.txt', run: (e, a) => `.venv/bin/python ${e}.py${a}` },
};

const RUNS: Record<ScaffoldSpec['pattern'], { entry: string; args?: string; what: string }[]> = {
  worker: [{ entry: 'main', what: 'the worker; start more for more throughput' }],
  listener: [{ entry: 'main', what: 'one service; SERVICE_NAME=other for a second service with its own consumer' }],
  'kv-watcher': [
    { entry: 'main', what: 'the watcher: bootstrap, then live transitions' },
    { entry: 'main', args: 'incr KEY', what: 'a compare-and-set counter update' },
  ],
  publisher: [{ entry: 'main', args: 'order-1 \'{"id":1}\'', what: 'publish; run it twice to see the duplicate dropped' }],
  responder: [
    { entry: 'responder', what: 'answers requests (queue group)' },
    { entry: 'requester', args: 'hello', what: 'sends one request and prints the reply' },
  ],
};

const MAIN_FILE: Record<ScaffoldSpec['lang'], string> = { ts: 'src/main.ts', go: 'main.go', python: 'main.py' };

/** How the consumer patterns pull and keep messages: the prefetch/AckWait trade-off in plain words. */
function deliveryNote(spec: ScaffoldSpec): string {
  if (spec.pattern === 'worker') {
    return `
## Acks and prefetch

The worker takes one message at a time: a message fetched ahead would wait behind slow work
while its AckWait runs, and the server would redeliver it. While your handler runs, in-progress
acks every half AckWait keep the message; a failure is retried after the backoff and
dead-lettered after max deliver. The dead-letter copier has its own consumer with a small
max ack pending and copies one advisory at a time.
`;
  }
  if (spec.pattern === 'listener') {
    const prefetch = spec.lang === 'go' ? 'prefetch' : 'PREFETCH';
    return `
## Acks and prefetch

The listener takes up to \`${prefetch}\` (10) messages per pull, so a backlog costs one round trip
per batch; a quiet stream adds no wait. The messages of a batch that wait their turn get
in-progress acks every half AckWait, so a handler slower than AckWait / ${prefetch} causes no
redelivery. Lower \`${prefetch}\` in \`${MAIN_FILE[spec.lang]}\` to leave more to the service's other
instances. SIGTERM finishes the message in hand and hands the rest of the batch back (nak), so
it is redelivered at once instead of after AckWait.
`;
  }
  return '';
}

/** Replicas the code asks for when it creates a missing stream or bucket (responders create nothing). */
function replicasAsked(spec: ScaffoldSpec): number {
  if (spec.pattern === 'responder') return 1;
  return spec.pattern === 'kv-watcher' ? spec.bucket.replicas : spec.stream.replicas;
}

export function projectReadme(spec: ScaffoldSpec, handlerFile: string): string {
  const runs = RUNS[spec.pattern];
  const b = BUILD[spec.lang];
  const replicas = replicasAsked(spec);
  const replicasNote =
    replicas > 1
      ? `\nThe code creates a missing ${spec.pattern === 'kv-watcher' ? 'bucket' : 'stream'} with ${replicas} replicas, which a single server such as the
sandbox refuses: create it there first (from a design: \`nats-flow apply DESIGN --replicas-cap 1\`),
or scaffold the design again with \`--replicas-cap 1\`.
`
      : '';
  return `# ${spec.project}

${PATTERN_LABELS[spec.pattern]} in ${LANG_LABELS[spec.lang]}, scaffolded by NATS Flow from ${spec.source}.

Your code goes in \`${handlerFile}\`; the other files are the NATS wiring (connection, acks,
retries, dead letters, shutdown) and explain their settings in comments.

## Build and run

\`\`\`bash
${b.build}
export NATS_URL=nats://127.0.0.1:14222   # the NATS Flow sandbox (npm run sandbox)
${runs.map((r) => `${b.run(r.entry, r.args ? ' ' + r.args : '')}   # ${r.what}`).join('\n')}
\`\`\`

Authentication comes from the environment: \`NATS_CREDS\` (a .creds file), \`NATS_TOKEN\`, or
\`NATS_USER\` and \`NATS_PASSWORD\`. Ctrl-C (SIGINT) or SIGTERM drains the connection before exit.
${replicasNote}${deliveryNote(spec)}`;
}
