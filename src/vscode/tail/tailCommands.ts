/**
 * The ways into a tail: explorer context menus (stream "Tail…", consumer "Peek Pending",
 * bucket and key "Watch"), the palette's "NATS: Open Tail…", and `openTail(spec)` for code
 * that already knows what to tail (code lenses). Each command also takes its answers as an
 * argument, so tests and other commands skip the pickers.
 */
import * as vscode from 'vscode';
import { Commands } from '../commands';
import { registerCommand } from '../registerCommand';
import type { ConnectionService } from '../connections/connectionService';
import { jetStreamOptions } from '../../nats/profile';
import { ADVISORY_SUBJECT, parseStreamFrom, subjectProblem, type StreamFrom, type TailSpec } from '../../core/tail/spec';
import { TAIL_VIEW_TYPE, TailPanel, type TailDeps } from './tailPanel';
import { specFromValue } from './rows';

export interface TailApi {
  /** Opens a tail panel on what `spec` names, on the current connection. */
  openTail(spec: TailSpec): Promise<TailPanel>;
  panels(): TailPanel[];
}

interface NodeArg {
  stream?: { name: string };
  consumer?: { stream: string; name: string };
  bucket?: { bucket: string } | string;
  key?: string;
}

const FROM_ITEMS: (vscode.QuickPickItem & { from: string })[] = [
  { label: 'New messages', description: 'from now on', from: 'new' },
  { label: 'All messages', description: 'from the first stored', from: 'all' },
  { label: 'Last message', from: 'last' },
  { label: 'Last per subject', from: 'last-per-subject' },
  { label: 'From sequence…', from: 'seq' },
  { label: 'Since a time…', description: 'ISO time or a duration ago like 5m', from: 'time' },
];

async function askFrom(): Promise<StreamFrom | undefined> {
  const pick = await vscode.window.showQuickPick(FROM_ITEMS, { title: 'Tail: where to start' });
  if (!pick) return undefined;
  if (pick.from === 'seq') {
    const v = await vscode.window.showInputBox({ title: 'Start at stream sequence', validateInput: (s) => (/^[1-9]\d*$/.test(s.trim()) ? undefined : 'A positive whole number') });
    return v ? parseStreamFrom(`seq:${v.trim()}`) : undefined;
  }
  if (pick.from === 'time') {
    const v = await vscode.window.showInputBox({ title: 'Start at time', prompt: '2026-11-30T12:00:00Z, or a duration ago: 5m, 2h, 1d' });
    if (!v) return undefined;
    return parseStreamFrom(/^\d+[smhd]$/.test(v.trim()) ? `time:-${v.trim()}` : `time:${v.trim()}`);
  }
  return pick.from as StreamFrom;
}

async function askSubject(title: string, value = ''): Promise<string | undefined> {
  return vscode.window.showInputBox({ title, value, validateInput: (s) => (s.trim() ? (subjectProblem(s.trim()) ? `The subject ${subjectProblem(s.trim())}` : undefined) : undefined) });
}

export function registerTail(context: vscode.ExtensionContext, connections: ConnectionService): TailApi {
  const deps: TailDeps = {
    connection: () => connections.connection(),
    jetStreamOptions: () => jetStreamOptions(connections.current.profile),
  };
  const api: TailApi = {
    openTail: (spec) => TailPanel.show(context.extensionUri, spec, deps),
    panels: () => TailPanel.all(),
  };
  context.subscriptions.push({ dispose: () => TailPanel.disposeAll() });

  registerCommand(context, Commands.tailStream, async (node?: NodeArg, given?: { from?: StreamFrom; filters?: string[] }) => {
    const stream = node?.stream?.name ?? (await vscode.window.showInputBox({ title: 'Tail stream', prompt: 'Stream name' }));
    if (!stream) return undefined;
    const from = given?.from ?? (await askFrom());
    if (!from) return undefined;
    let filters = given?.filters;
    if (!given) {
      const f = await askSubject('Filter subjects (optional, comma separated)');
      if (f === undefined) return undefined;
      filters = f.split(',').map((s) => s.trim()).filter(Boolean);
    }
    return api.openTail({ kind: 'stream', stream, from, ...(filters?.length ? { filters } : {}) });
  });

  registerCommand(context, Commands.tailPeekPending, async (node?: NodeArg) => {
    if (!node?.consumer) throw new Error('Peek Pending works on a consumer in the NATS explorer.');
    return api.openTail({ kind: 'stream', stream: node.consumer.stream, pendingOf: node.consumer.name });
  });

  registerCommand(context, Commands.tailWatch, async (node?: NodeArg, given?: { include?: 'last' | 'history' | 'updates' }) => {
    const bucket = typeof node?.bucket === 'string' ? node.bucket : (node?.bucket?.bucket ?? (await vscode.window.showInputBox({ title: 'Watch KV bucket', prompt: 'Bucket name' })));
    if (!bucket) return undefined;
    return api.openTail({ kind: 'kv', bucket, ...(node?.key ? { key: node.key } : {}), ...(given?.include ? { include: given.include } : {}) });
  });

  registerCommand(context, Commands.tailOpen, async (given?: unknown) => {
    if (given !== undefined) {
      // from code lenses, the designer or another extension: check it before opening anything
      const spec = specFromValue(given);
      if (!spec) throw new Error(`Cannot open a tail on ${JSON.stringify(given)?.slice(0, 200)}: expected a stream, subject or KV bucket.`);
      return api.openTail(spec);
    }
    const kind = await vscode.window.showQuickPick(
      [
        { label: 'Stream', description: 'an ordered consumer, or a view of WorkQueue/Interest streams', source: 'stream' },
        { label: 'Subject', description: 'a core subscription (wildcards allowed)', source: 'subject' },
        { label: 'KV bucket', description: 'a watch: current values, a live marker, then changes', source: 'kv' },
        { label: 'JetStream advisories', description: ADVISORY_SUBJECT, source: 'advisories' },
      ],
      { title: 'NATS: Open Tail' },
    );
    if (!kind) return undefined;
    if (kind.source === 'stream') return vscode.commands.executeCommand(Commands.tailStream);
    if (kind.source === 'kv') {
      const bucket = await vscode.window.showInputBox({ title: 'Watch KV bucket', prompt: 'Bucket name' });
      if (!bucket) return undefined;
      const key = await vscode.window.showInputBox({ title: 'Keys to watch', prompt: 'Key or pattern (empty: all keys)' });
      if (key === undefined) return undefined;
      return api.openTail({ kind: 'kv', bucket, ...(key.trim() ? { key: key.trim() } : {}) });
    }
    if (kind.source === 'advisories') return api.openTail({ kind: 'advisories' });
    const subject = await askSubject('Subject to listen on');
    if (!subject) return undefined;
    return api.openTail({ kind: 'subject', subject: subject.trim() });
  });

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(TAIL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, saved) {
        // the connection comes up after activation: give it a moment before giving up
        for (let i = 0; i < 80 && connections.current.state !== 'connected'; i++) await new Promise((r) => setTimeout(r, 250));
        await TailPanel.restore(panel, context.extensionUri, saved, deps).catch((err) => {
          void vscode.window.showWarningMessage(`The tail could not resume: ${err instanceof Error ? err.message : String(err)}`);
        });
      },
    }),
  );
  return api;
}
