/**
 * "NATS: Scaffold Code…" from the palette, the lightbulb, the explorer (configured from the
 * live stream, consumer or bucket) and the Decide panel: resolves the settings, shows every
 * file before writing, never overwrites without a second confirmation naming the files.
 */
import * as vscode from 'vscode';
import { Commands } from '../commands';
import { registerCommand } from '../registerCommand';
import { designScaffoldFiles, handlerPath, scaffold, scaffoldDesign, type ScaffoldFile, type ScaffoldLang, type ScaffoldOptions, type ScaffoldPattern, type ScaffoldSpec } from '../../core/scaffold';
import type { KvSuggestion, StreamSuggestion } from '../../core/decide';
import { loadDesign } from '../../core/design';
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
  lastDesign?: DesignScaffoldResult;
}

/** Arguments of natsFlow.scaffold.designPath / natsFlow.scaffold.design. */
export interface DesignScaffoldRequest {
  /** The design file; the active designer or editor when missing. */
  design?: vscode.Uri;
  /** One path; missing scaffolds the whole design. */
  path?: string;
  lang?: ScaffoldLang;
  /** Workspace-relative folder. */
  folder?: string;
}

export interface DesignScaffoldResult {
  units: { path: string; component: string; pattern: ScaffoldPattern; dir: string }[];
  skipped: { path: string; reason: string }[];
  written: string[];
  cancelled?: boolean;
}

/** The design in the active custom editor tab (the designer) or text editor. */
function activeDesignUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : vscode.window.activeTextEditor?.document.uri;
  return uri && uri.path.endsWith('.natsflow.json') ? uri : undefined;
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

    const written = await writeFlow(files, spec.project, handlerPath(spec), spec.source, req.folder);
    if (!written) return undefined;
    if (written.cancelled) {
      api.last = { ...result, cancelled: true };
      return api.last;
    }
    result.written.push(...written.written);
    result.folder = written.folder;
    await vscode.window.showTextDocument(vscode.Uri.joinPath(written.folder, handlerPath(spec)), { preview: false });
    ui.info(`Scaffolded ${spec.pattern} (${lang}) into ${written.folderName}: your code goes in ${handlerPath(spec)}; README.md says how to run it.`);
    api.last = result;
    return result;
  }

  /** Asks the folder, shows every file (and, again, the ones it would overwrite), then writes. */
  async function writeFlow(files: readonly ScaffoldFile[], suggested: string, handler: string, source: string, folderArg?: string): Promise<{ written: string[]; folder: vscode.Uri; folderName: string; cancelled?: boolean } | undefined> {
    const ui = api.ui;
    const root = vscode.workspace.workspaceFolders?.[0];
    if (!root) throw new Error('Open a folder first to scaffold a project into it, or choose "Untitled editors".');
    const folderName = folderArg ?? (await ui.askFolder(suggested));
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
    const confirmed = await ui.confirmWrite({ folder: folderName, files: files.map((f) => f.path), existing, handler, source });
    if (!confirmed) return { written: [], folder, folderName, cancelled: true };
    const written: string[] = [];
    for (const f of files) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, f.path), new TextEncoder().encode(f.content));
      written.push(`${folderName}/${f.path}`);
    }
    return { written, folder, folderName };
  }

  /** Scaffold one path of a design, or (no path) the whole design, with its planned settings. */
  async function fromDesign(req: DesignScaffoldRequest): Promise<DesignScaffoldResult | undefined> {
    const ui = api.ui;
    const uri = req.design ?? activeDesignUri();
    if (!uri) throw new Error('Open a flow design (*.natsflow.json) first, in the designer or as text.');
    // an open document may hold unsaved edits: scaffold what the user sees
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const loaded = loadDesign(open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    if (!loaded.ok) throw new Error(`${vscode.workspace.asRelativePath(uri)} is not a valid design (${loaded.problems.length} problems): fix it first; nothing was written.`);
    const design = loaded.design;
    const lang = req.lang ?? (await ui.pickLang());
    if (!lang) return undefined;
    const result = scaffoldDesign(design, lang, req.path);
    if (!result.units.length) throw new Error(`Nothing to scaffold for ${req.path ? `path "${req.path}"` : `design "${design.name}"`}: ${result.skipped.map((x) => `${x.path}: ${x.reason}`).join('; ')}`);
    const fileName = uri.path.split('/').pop() ?? 'design.natsflow.json';
    const files = designScaffoldFiles(design, result, { designFile: fileName, whole: req.path === undefined });
    const single = req.path !== undefined && result.units.length === 1;
    const suggested = req.path ? `${design.name}-${req.path}` : `${design.name}-code`;
    const handler = single ? handlerPath(result.units[0]!.spec) : 'each project\'s handler (see README.md)';
    const written = await writeFlow(files, suggested.toLowerCase().replace(/[^a-z0-9-]+/g, '-'), handler, `design "${design.name}" (planned settings)`, req.folder);
    if (!written) return undefined;
    const out: DesignScaffoldResult = { units: result.units.map((u) => ({ path: u.path, component: u.component, pattern: u.pattern, dir: u.dir })), skipped: result.skipped, written: written.written, cancelled: written.cancelled };
    api.lastDesign = out;
    if (written.cancelled) return out;
    await vscode.window.showTextDocument(vscode.Uri.joinPath(written.folder, single ? handlerPath(result.units[0]!.spec) : 'README.md'), { preview: false });
    ui.info(`Scaffolded ${result.units.length} project${result.units.length === 1 ? '' : 's'} (${lang}) from design "${design.name}" into ${written.folderName}${result.skipped.length ? `; skipped ${result.skipped.map((x) => x.path).join(', ')} (README.md says why)` : ''}.`);
    return out;
  }

  registerCommand(context, Commands.scaffoldDesignPath, (req?: DesignScaffoldRequest) => {
    if (!req?.path) throw new Error('Scaffold code for a design path: use the path\'s "Scaffold code" button in the designer.');
    return fromDesign(req);
  });
  registerCommand(context, Commands.scaffoldDesign, (arg?: DesignScaffoldRequest | vscode.Uri) => fromDesign(arg instanceof vscode.Uri ? { design: arg } : { ...(arg ?? {}), path: undefined }));

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
