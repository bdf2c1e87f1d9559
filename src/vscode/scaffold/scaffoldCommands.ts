/**
 * "NATS: Scaffold Code…" from the palette, the lightbulb, the explorer (configured from the
 * live stream, consumer or bucket) and the Decide panel: resolves the settings, shows every
 * file before writing, never overwrites without a second confirmation naming the files.
 */
import * as vscode from 'vscode';
import { Commands } from '../commands';
import { registerCommand } from '../registerCommand';
import { handlerPath, scaffold, type ScaffoldFile, type ScaffoldLang, type ScaffoldOptions, type ScaffoldPattern, type ScaffoldSpec } from '../../core/scaffold';
import type { KvSuggestion, StreamSuggestion } from '../../core/decide';
import { jetStreamOptions, liveScaffoldOptions, type LiveNames } from '../../nats';
import type { ConnectionService } from '../connections/connectionService';
import type { ExplorerNode } from '../explorer';
import { defaultScaffoldUi, type ScaffoldTarget, type ScaffoldUi } from './scaffoldUi';

/** Arguments of natsFlow.scaffold.create; whatever is missing is asked. */
export interface ScaffoldRequest {
  pattern?: ScaffoldPattern;
  lang?: ScaffoldLang;
  stream?: string;
  consumer?: string;
  subject?: string;
  bucket?: string;
  key?: string;
  suggestion?: KvSuggestion | StreamSuggestion;
  /** Read these objects from the connected server and use their real settings. */
  live?: LiveNames;
  target?: ScaffoldTarget;
  /** Workspace-relative folder (target folder). */
  folder?: string;
}

export interface ScaffoldResult {
  spec: ScaffoldSpec;
  /** Files written (folder target), workspace-relative. */
  written: string[];
  folder?: vscode.Uri;
  /** Untitled documents opened (untitled target). */
  untitled: vscode.TextDocument[];
  cancelled?: boolean;
}

export interface ScaffoldApi {
  ui: ScaffoldUi;
  /** The last result, for tests. */
  last?: ScaffoldResult;
}

const LANGUAGE_OF: Record<string, ScaffoldLang> = {
  typescript: 'ts',
  javascript: 'ts',
  typescriptreact: 'ts',
  javascriptreact: 'ts',
  go: 'go',
  python: 'python',
};
const EDITOR_LANGUAGE: Record<ScaffoldLang, string> = { ts: 'typescript', go: 'go', python: 'python' };

/** The active editor's language as a scaffold language, when it is one. */
export function scaffoldLangOf(languageId: string | undefined): ScaffoldLang | undefined {
  return languageId ? LANGUAGE_OF[languageId] : undefined;
}

/** The main wiring file shown next to the handler in untitled editors. */
function mainFile(spec: ScaffoldSpec, files: ScaffoldFile[]): ScaffoldFile | undefined {
  const names = spec.lang === 'ts' ? ['src/main.ts', 'src/responder.ts'] : spec.lang === 'go' ? ['main.go', 'cmd/responder/main.go'] : ['main.py', 'responder.py'];
  return files.find((f) => names.includes(f.path));
}

export function registerScaffoldCommands(context: vscode.ExtensionContext, connections: ConnectionService): ScaffoldApi {
  const api: ScaffoldApi = { ui: defaultScaffoldUi };

  async function create(req: ScaffoldRequest = {}): Promise<ScaffoldResult | undefined> {
    const ui = api.ui;
    const pattern = req.pattern ?? (await ui.pickPattern());
    if (!pattern) return undefined;
    const lang = req.lang ?? scaffoldLangOf(vscode.window.activeTextEditor?.document.languageId) ?? (await ui.pickLang());
    if (!lang) return undefined;

    let options: ScaffoldOptions = { pattern, lang, stream: req.stream, consumer: req.consumer, subject: req.subject, bucket: req.bucket, key: req.key, suggestion: req.suggestion };
    if (req.live) {
      const profile = connections.current.profile;
      options = { ...options, ...(await liveScaffoldOptions(connections.connection(), req.live, jetStreamOptions(profile))) };
    } else if (!req.suggestion && !req.stream && !req.bucket && !req.subject) {
      // nothing picked yet: ask for the one name that matters most for this pattern
      const ask =
        pattern === 'kv-watcher'
          ? { prompt: 'KV bucket to watch', key: 'bucket' as const, value: 'app-state' }
          : pattern === 'responder'
            ? { prompt: 'Subject to answer requests on', key: 'subject' as const, value: 'tools.result.get' }
            : { prompt: 'Stream name', key: 'stream' as const, value: 'ORDERS' };
      const v = await ui.askName(ask.prompt, ask.value);
      if (v === undefined) return undefined;
      if (v.trim()) options[ask.key] = v.trim();
    }
    // ScaffoldInputError says what is wrong; registerCommand shows it
    const { spec, files } = scaffold(options);

    const target = req.target ?? (await ui.pickTarget());
    if (!target) return undefined;
    const result: ScaffoldResult = { spec, written: [], untitled: [] };
    if (target === 'untitled') {
      for (const f of [files.find((x) => x.path === handlerPath(spec)), mainFile(spec, files)]) {
        if (!f) continue;
        const doc = await vscode.workspace.openTextDocument({ language: EDITOR_LANGUAGE[lang], content: f.content });
        await vscode.window.showTextDocument(doc, { preview: false });
        result.untitled.push(doc);
      }
      api.last = result;
      return result;
    }

    const root = vscode.workspace.workspaceFolders?.[0];
    if (!root) throw new Error('Open a folder first to scaffold a project into it, or choose "Untitled editors".');
    const folderName = req.folder ?? (await ui.askFolder(spec.project));
    if (!folderName) return undefined;
    const folder = vscode.Uri.joinPath(root.uri, folderName.trim());
    if (!folder.path.startsWith(root.uri.path)) throw new Error(`"${folderName}" is outside the workspace folder ${root.name}.`);
    const existing: string[] = [];
    for (const f of files) {
      const exists = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, f.path)).then(
        () => true,
        () => false,
      );
      if (exists) existing.push(f.path);
    }
    const confirmed = await ui.confirmWrite({ folder: folderName, files: files.map((f) => f.path), existing, handler: handlerPath(spec), source: spec.source });
    if (!confirmed) {
      api.last = { ...result, cancelled: true };
      return api.last;
    }
    for (const f of files) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, f.path), new TextEncoder().encode(f.content));
      result.written.push(`${folderName}/${f.path}`);
    }
    result.folder = folder;
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, handlerPath(spec)), { preview: false });
    ui.info(`Scaffolded ${spec.pattern} (${lang}) into ${folderName}: your code goes in ${handlerPath(spec)}; README.md says how to run it.`);
    api.last = result;
    return result;
  }

  registerCommand(context, Commands.scaffoldCreate, (req?: ScaffoldRequest) => create(req ?? {}));
  registerCommand(context, Commands.scaffoldFromExplorer, async (node?: ExplorerNode, req: ScaffoldRequest = {}) => {
    if (!node) throw new Error('Scaffold from the explorer: right-click a stream, consumer or KV bucket.');
    if (node.kind === 'stream') {
      const pattern = req.pattern ?? (await api.ui.pickPattern());
      if (!pattern) return undefined;
      return create({ ...req, pattern, live: { stream: node.stream.name } });
    }
    if (node.kind === 'consumer') {
      return create({ pattern: 'worker', ...req, live: { stream: node.consumer.stream, consumer: node.consumer.name } });
    }
    if (node.kind === 'kv') return create({ ...req, pattern: 'kv-watcher', live: { bucket: node.bucket.bucket } });
    throw new Error('Scaffold code works on a stream, a consumer or a KV bucket.');
  });
  return api;
}
