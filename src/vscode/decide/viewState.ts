/**
 * Builds what the decide panel renders (DecideViewState, src/shared/protocol.ts) from an
 * engine Decision: test metadata, the actions and the suggested configuration both as JSON
 * (for copying) and as readable sections with durations formatted. Pure.
 */
import { DECISION_TESTS, formatDuration, type DecideAnswers, type Decision, type Environment } from '../../core/decide';
import type { DecideActionView, DecideConfigSection, DecideLanguageModelView, DecideTestView, DecideViewState } from '../../shared/protocol';

/** Whether a NATS connection is active, and its name: "Create on server" needs one. */
export interface ServerStatus {
  connected: boolean;
  name?: string;
}

export const NOT_CONNECTED: ServerStatus = { connected: false };

/**
 * The actions bar. "Create on server" works when a connection is active and the decision
 * suggests something; otherwise it is disabled and says which of the two is missing. "Scaffold
 * code" works once decided. The design action belongs to a feature not built yet and says so.
 */
export function decideActions(decision: Decision, server: ServerStatus): DecideActionView[] {
  const c = decision.config;
  const what =
    'kind' in c && c.kind === 'kv'
      ? `KV bucket ${c.bucket.bucket}`
      : 'kind' in c && c.kind === 'stream'
        ? `stream ${c.stream.name} and consumer ${c.consumer.durable_name} (the dead-letter stream ${c.dead_letter.stream.name} is optional)`
        : undefined;
  const create: DecideActionView = !what
    ? { id: 'createOnServer', label: 'Create on server', icon: 'cloud-upload', enabled: false, tooltip: 'Undecided: answer a test first; there is nothing to create yet' }
    : !server.connected
      ? { id: 'createOnServer', label: 'Create on server', icon: 'cloud-upload', enabled: false, tooltip: `Not connected: connect to a NATS server first (NATS: Connect) to create ${what}` }
      : { id: 'createOnServer', label: 'Create on server', icon: 'cloud-upload', enabled: true, tooltip: `Create ${what} on ${server.name ?? 'the connected server'}; you confirm first` };
  return [
    { id: 'copyConfig', label: 'Copy configuration', icon: 'copy', enabled: true, tooltip: 'Copy the suggested configuration as JSON' },
    create,
    {
      id: 'addToDesign',
      label: 'Add to flow design',
      icon: 'type-hierarchy',
      enabled: false,
      tooltip: 'Coming with the Flow designer: there is no flow design to add to yet',
    },
    what
      ? {
          id: 'scaffold',
          label: 'Scaffold code',
          icon: 'code',
          enabled: true,
          tooltip: `Generate code (TypeScript, Go or Python) wired to the suggested ${'kind' in c && c.kind === 'kv' ? 'bucket' : 'stream and consumer'}; you see the files before they are written`,
        }
      : { id: 'scaffold', label: 'Scaffold code', icon: 'code', enabled: false, tooltip: 'Undecided: answer a test first; there is no configuration to scaffold from yet' },
  ];
}

const dur = (ns: number) => (ns === 0 ? 'none' : formatDuration(ns));

export function configSections(decision: Decision): DecideConfigSection[] {
  const c = decision.config;
  if ('kind' in c && c.kind === 'kv') {
    return [
      {
        title: 'KV bucket',
        rows: [
          ['bucket', c.bucket.bucket],
          ['history', String(c.bucket.history)],
          ['ttl', dur(c.bucket.ttl)],
          ['storage', c.bucket.storage],
          ['replicas', String(c.bucket.replicas)],
          ['description', c.bucket.description],
        ],
        notes: c.notes,
      },
      {
        title: 'Watcher',
        rows: [
          ['watch', c.watcher.key_pattern],
          ['example key', c.watcher.example_key],
        ],
        notes: [c.watcher.bootstrap, c.watcher.bootstrap_end, c.watcher.empty_bucket, c.watcher.live, c.watcher.resume],
      },
    ];
  }
  if ('kind' in c && c.kind === 'stream') {
    return [
      {
        title: 'Stream',
        rows: [
          ['name', c.stream.name],
          ['subjects', c.stream.subjects.join(', ')],
          ['publish to', c.subject],
          ['retention', c.stream.retention],
          ['storage', c.stream.storage],
          ['replicas', String(c.stream.replicas)],
          ['duplicate window', dur(c.stream.duplicate_window)],
          ['max age', dur(c.stream.max_age)],
          ['discard', c.stream.discard],
        ],
        notes: c.notes,
      },
      {
        title: `Consumer (${c.consumer_type})`,
        rows: [
          ['durable', c.consumer.durable_name],
          ['filter', c.consumer.filter_subject],
          ['deliver', c.consumer.deliver_policy],
          ['ack', c.consumer.ack_policy],
          ['ack wait', dur(c.consumer.ack_wait)],
          ['max deliver', String(c.consumer.max_deliver)],
          ['backoff', c.consumer.backoff.map(formatDuration).join(', ') || 'none'],
          ['max ack pending', String(c.consumer.max_ack_pending)],
        ],
        notes: [],
      },
      {
        title: 'Dead letters',
        rows: [
          ['advisory', c.dead_letter.advisory_subject],
          ['stream', `${c.dead_letter.stream.name} (${c.dead_letter.stream.subjects.join(', ')})`],
        ],
        notes: c.dead_letter.steps,
      },
    ];
  }
  return [];
}

export function testViews(): DecideTestView[] {
  return DECISION_TESTS.map((t) => ({
    id: t.id,
    order: t.order,
    title: t.title,
    question: t.question,
    options: t.options.map((o) => ({ answer: o.answer, label: o.label, explanation: o.explanation, verdict: o.verdict })),
  }));
}

export function buildViewState(
  input: { description: string; answers: DecideAnswers; environment: Environment },
  decision: Decision,
  server: ServerStatus = NOT_CONNECTED,
  languageModel?: DecideLanguageModelView,
): DecideViewState {
  const hasConfig = 'kind' in decision.config;
  return {
    ...(languageModel ? { languageModel } : {}),
    description: input.description,
    environment: input.environment,
    given: { ...input.answers },
    decision,
    tests: testViews(),
    actions: decideActions(decision, server),
    configJson: hasConfig ? JSON.stringify(decision.config, null, 2) : '',
    configSections: configSections(decision),
  };
}
