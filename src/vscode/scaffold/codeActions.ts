/**
 * The lightbulb: on a quoted subject, stream or bucket name in a TypeScript/JavaScript, Go or
 * Python file, offer to scaffold the patterns that name fits, in the file's language.
 */
import * as vscode from 'vscode';
import { jetstreamManager } from '@nats-io/jetstream';
import { PATTERN_LABELS, type ScaffoldPattern } from '../../core/scaffold';
import { jetStreamOptions } from '../../nats';
import { Commands } from '../commands';
import type { ConnectionService } from '../connections/connectionService';
import type { ScaffoldRequest } from './scaffoldCommands';
import { scaffoldLangOf } from './scaffoldCommands';

export const SCAFFOLD_ACTION_KIND = vscode.CodeActionKind.Refactor.append('natsFlow.scaffold');
export const SCAFFOLD_LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact', 'go', 'python'];

/** What a quoted token names: a subject has dots or wildcards, a stream is in capitals, else a bucket. */
export function scaffoldRequestsFor(token: string): { title: string; req: ScaffoldRequest }[] {
  const offer = (pattern: ScaffoldPattern, what: string, req: ScaffoldRequest) => ({
    title: `Scaffold ${PATTERN_LABELS[pattern].replace(/ \(.*\)$/, '').toLowerCase()} for ${what} "${token}"`,
    req: { pattern, ...req },
  });
  if (/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$*>-]+)+$/.test(token) || token === '>' ) {
    return (['worker', 'listener', 'publisher', 'responder'] as const).map((p) => offer(p, 'subject', { subject: token }));
  }
  if (/^[A-Z][A-Z0-9_-]*$/.test(token)) {
    return (['worker', 'listener', 'publisher'] as const).map((p) => offer(p, 'stream', { stream: token }));
  }
  if (/^[a-z][a-z0-9_-]*$/.test(token)) return [offer('kv-watcher', 'bucket', { bucket: token })];
  return [];
}

type LiveKind = 'stream' | 'bucket' | undefined;

export class ScaffoldCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [SCAFFOLD_ACTION_KIND] };
  /** What a token is on the connected server, remembered briefly: the bulb asks on every cursor move. */
  private readonly live = new Map<string, { at: number; kind: Promise<LiveKind> }>();

  constructor(private readonly connections?: ConnectionService) {}

  /** Whether the token names a live stream or KV bucket (when connected; within a second). */
  private lookup(token: string): Promise<LiveKind> {
    const c = this.connections;
    if (!c || c.current.state !== 'connected' || !/^[A-Za-z0-9_-]+$/.test(token)) return Promise.resolve(undefined);
    const key = `${c.current.profile?.id ?? ''}:${token}`;
    const hit = this.live.get(key);
    if (hit && Date.now() - hit.at < 30_000) return hit.kind;
    const kind = (async (): Promise<LiveKind> => {
      const jsm = await jetstreamManager(c.connection(), { ...jetStreamOptions(c.current.profile), checkAPI: false, timeout: 1000 });
      const exists = (name: string) => jsm.streams.info(name).then(() => true, () => false);
      if (await exists(token)) return 'stream';
      if (await exists(`KV_${token}`)) return 'bucket';
      return undefined;
    })().catch(() => undefined);
    this.live.set(key, { at: Date.now(), kind });
    return kind;
  }

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): Promise<vscode.CodeAction[]> {
    const lang = scaffoldLangOf(document.languageId);
    if (!lang) return [];
    const line = document.lineAt(range.start.line).text;
    // only names inside a string literal: plain identifiers would light the bulb everywhere
    const at = range.start.character;
    for (const m of line.matchAll(/(["'`])([^"'`\s]{1,120})\1/g)) {
      const start = m.index! + 1;
      const end = start + m[2]!.length;
      if (at < start - 1 || at > end + 1) continue;
      const token = m[2]!;
      // a name that exists on the connected server: configure from the live object
      const live = await this.lookup(token);
      const offers: { title: string; req: ScaffoldRequest }[] =
        live === 'stream'
          ? (['worker', 'listener', 'publisher'] as const).map((pattern) => ({ title: `Scaffold ${PATTERN_LABELS[pattern].replace(/ \(.*\)$/, '').toLowerCase()} for live stream "${token}"`, req: { pattern, live: { stream: token } } }))
          : live === 'bucket'
            ? [{ title: `Scaffold kv watcher for live bucket "${token}"`, req: { pattern: 'kv-watcher', live: { bucket: token } } }]
            : scaffoldRequestsFor(token);
      return offers.map(({ title, req }) => {
        const action = new vscode.CodeAction(title, SCAFFOLD_ACTION_KIND);
        action.command = { command: Commands.scaffoldCreate, title, arguments: [{ ...req, lang }] };
        return action;
      });
    }
    return [];
  }
}

export function registerScaffoldCodeActions(context: vscode.ExtensionContext, connections: ConnectionService): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      SCAFFOLD_LANGUAGES.map((language) => ({ language })),
      new ScaffoldCodeActions(connections),
      ScaffoldCodeActions.metadata,
    ),
  );
}
