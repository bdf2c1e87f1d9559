/**
 * The Explorer's management commands: create/edit in JSON documents with a diff before
 * applying, delete and purge behind a modal that names the object, consumer pause/resume/reset,
 * messages, KV values (with compare-and-set), copy as natscli command, and the reports.
 *
 * Every command takes its target as a tree node or a plain object (`{ stream: 'ORDERS' }`)
 * plus values, so tests and other commands drive it without UI; `{ confirmed: true }` skips
 * the modal. What is missing is asked for with an InputBox/QuickPick. The confirmation and
 * the messages go through `ExplorerUi`, which tests replace.
 */
import * as vscode from 'vscode';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Admin, ConfigChange, ConfigKind, KvBucketConfig, ObjectStoreConfig, PurgeOptions } from '../../nats/index';
import { Commands, type CommandId } from '../commands';
import type { ConnectionService } from '../connections/connectionService';
import { log } from '../log';
import { registerCommand } from '../registerCommand';
import type { ConnectionsTree, ExplorerNode } from './connectionsTree';
import { ConfigFileSystem, CONFIG_SCHEME, ViewDocuments, VIEW_SCHEME, type ConfigDocMeta } from './documents';
import * as fmt from './format';
import { REPORT_VIEW_TYPE, ReportPanel } from './reportPanel';
import { consumerReport, streamReport } from './reportView';

const loadNats = () => import('../../nats/index');

export interface ExplorerUi {
  /** A modal confirmation; true only when the user picked `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A modal with several actions; the one picked, or undefined (cancel). Without it, `confirm` with the first action. */
  choose?(message: string, detail: string, actions: string[]): Promise<string | undefined>;
  info(message: string): void;
  error(message: string): void;
}

export const defaultUi: ExplorerUi = {
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
  async choose(message, detail, actions) {
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
  },
  info: (m) => void vscode.window.showInformationMessage(m),
  error: (m) => void vscode.window.showErrorMessage(m),
};

/** What activate() exposes of the Explorer (tests drive it). */
export interface ExplorerApi {
  tree: ConnectionsTree;
  /** Replaceable: tests answer confirmations and collect messages. */
  ui: ExplorerUi;
  /** The last error a command showed (message and hint), for tests. */
  lastError?: string;
  /** The last confirmation asked (message and detail), for tests. */
  lastConfirm?: { message: string; detail: string };
  configFs: ConfigFileSystem;
  views: ViewDocuments;
  admin(): Promise<Admin>;
  /** Applies a config document (what saving it does). */
  applyDocument(uri: vscode.Uri, opts?: { confirmed?: boolean }): Promise<ApplyResult>;
  /** An open report panel (`streams` or `consumers/<stream>`), for tests. */
  report(key: string): ReportPanel | undefined;
  /**
   * Creates several objects in order after one confirmation that names each and gives the
   * natscli equivalent (what Decide's "Create on server" uses). `optional` items are created
   * only when the user picks `optionalAction` (or, confirmed, with `includeOptional`).
   */
  createMany(items: CreateItem[], opts: CreateManyOptions): Promise<CreateManyResult>;
}

/** One object to create, in the shapes the explorer's create takes (JetStream API / Admin KV). */
export interface CreateItem {
  kind: 'stream' | 'consumer' | 'kv';
  name: string;
  /** The stream of a consumer. */
  stream?: string;
  config: Record<string, unknown>;
  /** One line for the confirmation: "subjects orders.>, workqueue, file, R3". */
  summary: string;
}

export interface CreateManyOptions {
  confirmed?: boolean;
  optional?: CreateItem[];
  /** The button that also creates the optional items ("Create with dead-letter stream"). */
  optionalAction?: string;
  /** With `confirmed`: create the optional items too. */
  includeOptional?: boolean;
  /** Extra lines for the confirmation (why these, warnings). */
  notes?: string[];
}

export interface CreateManyResult {
  confirmed: boolean;
  /** "stream ORDERS", "consumer worker on ORDERS", … in creation order. */
  created: string[];
}

export interface ApplyResult {
  applied: boolean;
  changes: ConfigChange[];
  reason?: string;
  /** After an update: fields the server did not take as asked (`before` asked, `after` kept). */
  notTaken?: ConfigChange[];
}

/** The plain-object form of a command target and its values. */
interface Args {
  stream?: string;
  consumer?: string;
  bucket?: string;
  key?: string;
  store?: string;
  name?: string;
  config?: Record<string, unknown>;
  confirmed?: boolean;
  seq?: number;
  subject?: string;
  filter?: string;
  keep?: number;
  untilSeq?: number;
  value?: string;
  revision?: number;
  until?: string | number;
  sort?: string;
  descending?: boolean;
  style?: 'flags' | 'config';
  /** Open no editor (tests, other commands). */
  show?: boolean;
  /** A local file: the object to upload (put), or where to save one (get/save). */
  file?: string;
}

const isNode = (x: unknown): x is ExplorerNode => typeof x === 'object' && x !== null && 'kind' in x && typeof (x as { kind: unknown }).kind === 'string';

/** Merges a tree node (first argument from a menu) and plain argument objects into Args. */
function argsOf(target: unknown, extra: unknown): { args: Args; fromTree: boolean } {
  const a: Args = {};
  let fromTree = false;
  if (isNode(target)) {
    fromTree = true;
    switch (target.kind) {
      case 'stream':
        a.stream = target.stream.name;
        break;
      case 'consumer':
        a.stream = target.consumer.stream;
        a.consumer = target.consumer.name;
        break;
      case 'kv':
        a.bucket = target.bucket.bucket;
        break;
      case 'kvKey':
        a.bucket = target.bucket;
        a.key = target.key;
        break;
      case 'obj':
        a.store = target.store.bucket;
        break;
      case 'object':
        a.store = target.object.store;
        a.name = target.object.name;
        break;
    }
  } else if (typeof target === 'object' && target !== null && !Array.isArray(target)) Object.assign(a, target);
  else if (typeof target === 'string') a.name = target;
  // a menu passes the selection as the second argument: an array, not values
  if (typeof extra === 'object' && extra !== null && !Array.isArray(extra)) Object.assign(a, extra);
  return { args: a, fromTree };
}

/** An error as one message: an AdminError's message and its hint. */
export function describeError(err: unknown): string {
  const e = err as { message?: string; hint?: string };
  const message = e?.message ?? String(err);
  return e?.hint ? `${message}. ${e.hint.charAt(0).toUpperCase()}${e.hint.slice(1)}.` : message;
}

export function registerExplorerCommands(context: vscode.ExtensionContext, connections: ConnectionService, tree: ConnectionsTree): ExplorerApi {
  const configFs = new ConfigFileSystem();
  const views = new ViewDocuments();
  context.subscriptions.push(
    vscode.workspace.registerFileSystemProvider(CONFIG_SCHEME, configFs, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, views),
  );

  let adminV: { nc: NatsConnection; admin: Admin } | undefined;
  const admin = async (): Promise<Admin> => {
    const nc = connections.connection();
    if (adminV?.nc !== nc) {
      const nats = await loadNats();
      adminV = { nc, admin: new nats.Admin(nc, nats.jetStreamOptions(connections.current.profile)) };
    }
    return adminV.admin;
  };

  const api: ExplorerApi = {
    tree,
    ui: defaultUi,
    configFs,
    views,
    admin,
    applyDocument: (uri, opts) => applyDocument(uri, opts),
    report: (key) => ReportPanel.get(key),
    createMany: (items, opts) => createMany(items, opts),
  };

  const confirm = async (a: Args, message: string, detail: string, action: string): Promise<boolean> => {
    api.lastConfirm = { message, detail };
    if (a.confirmed) return true;
    return api.ui.confirm(message, detail, action);
  };

  /** Registers through the shared helper; AdminError message + hint are shown whole. */
  const command = (id: CommandId, handler: (args: Args, fromTree: boolean) => unknown) =>
    registerCommand(context, id, async (target?: unknown, extra?: unknown) => {
      const { args, fromTree } = argsOf(target, extra);
      try {
        return await handler(args, fromTree);
      } catch (err) {
        if (err instanceof Cancelled) return undefined;
        const text = describeError(err);
        api.lastError = text;
        log().error(`${id}: ${text}`);
        api.ui.error(text);
        return undefined;
      }
    });

  // ---- prompts ------------------------------------------------------------------------------

  async function pick(title: string, items: string[]): Promise<string> {
    if (items.length === 0) throw new Error(`${title}: there is nothing to pick from`);
    const v = await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true });
    if (v === undefined) throw new Cancelled();
    return v;
  }

  async function ask(title: string, opts: { value?: string; prompt?: string; validate?: (v: string) => string | undefined; placeHolder?: string } = {}): Promise<string> {
    const v = await vscode.window.showInputBox({ title, value: opts.value, prompt: opts.prompt, placeHolder: opts.placeHolder, ignoreFocusOut: true, validateInput: opts.validate });
    if (v === undefined) throw new Cancelled();
    return v;
  }

  const streamArg = async (a: Args): Promise<string> => a.stream ?? pick('Stream', await (await tree.catalog()).streamNames());
  const consumerArg = async (a: Args): Promise<[string, string]> => {
    const stream = await streamArg(a);
    const consumer = a.consumer ?? (await pick(`Consumer of ${stream}`, (await (await tree.catalog()).allConsumers(stream)).map((c) => c.name)));
    return [stream, consumer];
  };
  const bucketArg = async (a: Args): Promise<string> => a.bucket ?? pick('KV bucket', (await (await tree.catalog()).kvBuckets()).map((b) => b.bucket));
  const keyArg = async (a: Args, bucket: string): Promise<string> => a.key ?? ask(`Key in ${bucket}`, { placeHolder: 'orders.1234' });
  const storeArg = async (a: Args): Promise<string> => a.store ?? pick('Object store', (await (await tree.catalog()).objectStores()).map((o) => o.bucket));

  const view = (a: Args, name: string, text: string) => views.open(name, text, { show: a.show });
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

  // ---- live configs in the editable shapes -------------------------------------------------

  async function liveConfig(meta: Pick<ConfigDocMeta, 'kind' | 'name' | 'stream'>): Promise<Record<string, unknown>> {
    const jsm = await (await tree.catalog()).jsm();
    const nats = await loadNats();
    const { toAdminError } = nats;
    try {
      switch (meta.kind) {
        case 'stream':
          return withoutServerMetadata((await jsm.streams.info(meta.name)).config);
        case 'consumer':
          return withoutServerMetadata((await jsm.consumers.info(meta.stream!, meta.name)).config);
        case 'kv':
          return nats.kvConfigOf(meta.name, (await jsm.streams.info(`KV_${meta.name}`)).config) as never;
        case 'obj':
          return nats.objConfigOf(meta.name, (await jsm.streams.info(`OBJ_${meta.name}`)).config) as never;
      }
    } catch (err) {
      throw toAdminError(err);
    }
  }

  const kindWord: Record<ConfigKind, string> = { stream: 'stream', consumer: 'consumer', kv: 'KV bucket', obj: 'object store' };
  const label = (m: Pick<ConfigDocMeta, 'kind' | 'name' | 'stream'>) => `${kindWord[m.kind]} "${m.name}"${m.stream ? ` on stream ${m.stream}` : ''}`;
  const listKeysOf = (m: Pick<ConfigDocMeta, 'kind' | 'name' | 'stream'>) =>
    m.kind === 'stream' ? ['streams'] : m.kind === 'consumer' ? ['streams', `consumers/${m.stream}`] : m.kind === 'kv' ? ['kvs'] : ['objs'];

  /**
   * The one path every create/edit takes: diff against the live config, refuse immutable
   * changes with the reason, confirm (after showing the diff, when there is a document), apply.
   */
  async function applyConfig(meta: ConfigDocMeta, document: Record<string, unknown>, opts: { confirmed?: boolean; diffWith?: vscode.Uri }): Promise<ApplyResult> {
    const nats = await loadNats();
    // human durations and sizes become the API's numbers; anything else wrong is named here,
    // before the server's raw unmarshal error could be
    const { config: edited, converted } = nats.normalizeConfigDocument(meta.kind, document);
    const convertedNote = converted.length ? `\n\nConverted: ${converted.join('; ')}.` : '';
    const a = await admin();
    const nameField = meta.kind === 'stream' ? 'name' : meta.kind === 'consumer' ? undefined : 'bucket';
    if (nameField && edited[nameField] !== undefined && edited[nameField] !== meta.name && meta.mode === 'edit') {
      return refuse(meta, [{ field: nameField, before: meta.name, after: edited[nameField], immutable: true, reason: `a ${kindWord[meta.kind]} cannot be renamed` }]);
    }
    if (meta.mode === 'new') {
      const cfg = meta.kind === 'consumer' ? { ...edited, stream_name: meta.stream } : edited;
      const detail = `The same as:\n${nats.toNatsCliCommand(meta.kind, cfg)}${convertedNote}`;
      if (!(await confirm({ confirmed: opts.confirmed }, `Create ${label(meta)}?`, detail, 'Create'))) return { applied: false, changes: [], reason: 'not confirmed' };
      await create(a, meta, edited);
      tree.invalidate(...listKeysOf(meta));
      api.ui.info(`Created ${label(meta)}.`);
      return { applied: true, changes: [] };
    }
    const live = await liveConfig(meta);
    const changes = nats.diffConfig(meta.kind, live, edited);
    if (changes.length === 0) {
      api.ui.info(`No changes to ${label(meta)}.`);
      return { applied: false, changes, reason: 'no changes' };
    }
    if (changes.some((c) => c.immutable)) return refuse(meta, changes);
    if (opts.diffWith && !opts.confirmed) {
      const left = views.set(`${meta.name}.live${meta.kind === 'stream' ? '.nats-stream' : ''}.json`, json(live));
      await vscode.commands.executeCommand('vscode.diff', left, opts.diffWith, `${meta.name}: live ↔ edited`, { preview: true });
    }
    const detail = changes.map(describeChange).join('\n') + convertedNote;
    if (!(await confirm({ confirmed: opts.confirmed }, `Apply ${changes.length} change${changes.length === 1 ? '' : 's'} to ${label(meta)}?`, detail, 'Apply'))) {
      return { applied: false, changes, reason: 'not confirmed' };
    }
    const notTaken = await update(a, meta, live, edited);
    tree.invalidate(...listKeysOf(meta));
    if (notTaken.length) {
      // say so rather than claim the edit: the server kept or changed these fields
      const text = `Updated ${label(meta)}, but the server did not take: ${notTaken.map((c) => `${c.field} (asked ${showValue(c.before)}, it has ${showValue(c.after)})`).join('; ')}.`;
      api.lastError = text;
      api.ui.error(text);
      return { applied: true, changes, notTaken };
    }
    api.ui.info(`Updated ${label(meta)}: ${changes.map((c) => c.field).join(', ')}.`);
    return { applied: true, changes };
  }

  async function createMany(items: CreateItem[], opts: CreateManyOptions): Promise<CreateManyResult> {
    const nats = await loadNats();
    const a = await admin();
    const optional = opts.optional ?? [];
    const describe = (it: CreateItem) => `${label({ kind: it.kind, name: it.name, stream: it.stream })}: ${it.summary}`;
    const cli = (it: CreateItem) => nats.toNatsCliCommand(it.kind, it.kind === 'consumer' ? { ...it.config, stream_name: it.stream } : it.config);
    const where = connections.current.profile?.name ?? 'the server';
    const lines = [
      `On ${where}:`,
      ...items.map((it) => `• ${describe(it)}`),
      ...(optional.length ? ['', `Optional ("${opts.optionalAction ?? 'Create all'}"):`, ...optional.map((it) => `• ${describe(it)}`)] : []),
      ...(opts.notes?.length ? ['', ...opts.notes] : []),
      '',
      'The same as:',
      ...items.map(cli),
      ...optional.map((it) => `${cli(it)}   # optional`),
    ];
    const message = `Create ${items.map((it) => label({ kind: it.kind, name: it.name, stream: it.stream })).join(' and ')}?`;
    const detail = lines.join('\n');
    api.lastConfirm = { message, detail };
    let withOptional = false;
    if (opts.confirmed) withOptional = Boolean(opts.includeOptional);
    else if (optional.length && opts.optionalAction) {
      const actions = ['Create', opts.optionalAction];
      const picked = api.ui.choose ? await api.ui.choose(message, detail, actions) : (await api.ui.confirm(message, detail, actions[0]!)) ? actions[0] : undefined;
      if (!picked) return { confirmed: false, created: [] };
      withOptional = picked === opts.optionalAction;
    } else if (!(await api.ui.confirm(message, detail, 'Create'))) return { confirmed: false, created: [] };

    const created: string[] = [];
    for (const it of [...items, ...(withOptional ? optional : [])]) {
      try {
        await create(a, { kind: it.kind, mode: 'new', name: it.name, stream: it.stream }, it.config);
      } catch (err) {
        const e = nats.toAdminError(err);
        // say what exists already, so a retry after fixing the clash knows where it stands
        const done = created.length ? ` (already created: ${created.join(', ')})` : '';
        throw new nats.AdminError(e.code, `Creating ${label({ kind: it.kind, name: it.name, stream: it.stream })} failed: ${e.message}${done}`, e.errCode, e.hint, { cause: err });
      } finally {
        tree.invalidate('streams', 'kvs', ...(it.kind === 'consumer' ? [`consumers/${it.stream}`] : []));
      }
      created.push(label({ kind: it.kind, name: it.name, stream: it.stream }));
    }
    api.ui.info(`Created ${created.join(', ')}.`);
    return { confirmed: true, created };
  }

  function refuse(meta: ConfigDocMeta, changes: ConfigChange[]): ApplyResult {
    const fixed = changes.filter((c) => c.immutable);
    const reason = `Cannot apply to ${label(meta)}: ${fixed.map((c) => `${c.field} (${c.reason})`).join('; ')}. Create a new ${kindWord[meta.kind]} instead, or undo these fields.`;
    api.lastError = reason;
    api.ui.error(reason);
    return { applied: false, changes, reason };
  }

  async function create(a: Admin, meta: ConfigDocMeta, cfg: Record<string, unknown>): Promise<void> {
    switch (meta.kind) {
      case 'stream':
        await a.addStream({ ...cfg, name: meta.name } as never);
        return;
      case 'consumer':
        await a.addConsumer(meta.stream!, cfg as never);
        return;
      case 'kv':
        await a.createKv({ ...cfg, bucket: meta.name } as KvBucketConfig);
        return;
      case 'obj':
        await a.createObjectStore({ ...cfg, bucket: meta.name } as ObjectStoreConfig);
    }
  }

  /** Applies the full edited config; returns the fields the server did not take as asked. */
  async function update(a: Admin, meta: ConfigDocMeta, live: Record<string, unknown>, cfg: Record<string, unknown>): Promise<ConfigChange[]> {
    switch (meta.kind) {
      case 'stream':
        return (await a.updateStream({ ...cfg, name: meta.name } as never)).notTaken;
      case 'consumer':
        // the live config names the consumer; an edited document may have dropped the field
        return (await a.updateConsumer(meta.stream!, { ...cfg, ...(live.durable_name ? { durable_name: live.durable_name } : { name: meta.name }) } as never)).notTaken;
      case 'kv':
        return (await a.updateKv({ ...cfg, bucket: meta.name } as KvBucketConfig)).notTaken;
      case 'obj':
        return (await a.updateObjectStore({ ...cfg, bucket: meta.name } as ObjectStoreConfig)).notTaken;
    }
  }

  async function applyDocument(uri: vscode.Uri, opts: { confirmed?: boolean } = {}): Promise<ApplyResult> {
    const meta = configFs.meta(uri);
    if (!meta) throw new Error(`${uri.toString()} is not a NATS config document`);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = doc ? doc.getText() : new TextDecoder().decode(configFs.readFile(uri));
    let edited: Record<string, unknown>;
    try {
      edited = JSON.parse(text);
    } catch (err) {
      throw new Error(`${uri.path.split('/').pop()} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof edited !== 'object' || edited === null || Array.isArray(edited)) throw new Error('the config document must hold one JSON object');
    const r = await applyConfig(meta, edited, { confirmed: opts.confirmed, diffWith: uri });
    if (r.applied && meta.mode === 'new') configFs.setMeta(uri, { ...meta, mode: 'edit' });
    return r;
  }

  configFs.onSave = (uri) => {
    void applyDocument(uri).catch((err) => {
      const text = describeError(err);
      api.lastError = text;
      log().error(`applying ${uri.path}: ${text}`);
      api.ui.error(text);
    });
  };

  async function openConfig(meta: ConfigDocMeta, config: object, notes: string[] = []): Promise<vscode.Uri> {
    const uri = configFs.put(meta, config);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    const verb = meta.mode === 'new' ? 'create' : 'apply the changes';
    void vscode.window.showInformationMessage(`Edit the ${kindWord[meta.kind]} config and save (Ctrl+S) to ${verb}; you will see the changes first.${notes.length ? ` ${notes.join(' ')}` : ''}`);
    return uri;
  }

  // ---- create / edit ------------------------------------------------------------------------

  command(Commands.streamCreate, async (a) => {
    const nats = await loadNats();
    const name = a.stream ?? a.name ?? (await ask('New stream name', { placeHolder: 'ORDERS', validate: (v) => nats.nameProblem('stream', v) }));
    if (a.config) return applyConfig({ kind: 'stream', mode: 'new', name }, { ...a.config, name }, { confirmed: a.confirmed });
    const subjects = await ask(`Subjects of ${name} (comma separated)`, { value: `${name.toLowerCase()}.>`, validate: (v) => v.split(',').map((s) => nats.subjectProblem(s.trim())).find(Boolean) });
    const t = nats.streamTemplate({ name, subjects: subjects.split(',').map((s) => s.trim()), clustered: (await admin()).clustered });
    return openConfig({ kind: 'stream', mode: 'new', name }, t.config, t.notes);
  });

  /** Edit: with `config` in the arguments, apply it over the live config; else open the live config as a document. */
  const edit = async (meta: ConfigDocMeta, a: Args) => {
    const live = await liveConfig(meta);
    if (a.config) return applyConfig(meta, { ...live, ...a.config }, { confirmed: a.confirmed });
    return openConfig(meta, live);
  };

  command(Commands.streamEdit, async (a) => {
    const name = await streamArg(a);
    const meta: ConfigDocMeta = { kind: 'stream', mode: 'edit', name };
    return edit(meta, a);
  });

  command(Commands.consumerCreate, async (a) => {
    const nats = await loadNats();
    const stream = await streamArg(a);
    const name = a.consumer ?? a.name ?? (await ask(`New consumer on ${stream}`, { placeHolder: 'PROCESSOR', validate: (v) => nats.nameProblem('consumer', v) }));
    const meta: ConfigDocMeta = { kind: 'consumer', mode: 'new', name, stream };
    if (a.config) return applyConfig(meta, { durable_name: name, ...a.config }, { confirmed: a.confirmed });
    const t = nats.consumerTemplate({ stream, name });
    return openConfig(meta, t.config, t.notes);
  });

  command(Commands.consumerEdit, async (a) => {
    const [stream, name] = await consumerArg(a);
    const meta: ConfigDocMeta = { kind: 'consumer', mode: 'edit', name, stream };
    return edit(meta, a);
  });

  command(Commands.kvCreate, async (a) => {
    const nats = await loadNats();
    const name = a.bucket ?? a.name ?? (await ask('New KV bucket name', { placeHolder: 'config', validate: (v) => nats.nameProblem('KV bucket', v) }));
    const meta: ConfigDocMeta = { kind: 'kv', mode: 'new', name };
    if (a.config) return applyConfig(meta, { ...a.config, bucket: name }, { confirmed: a.confirmed });
    const t = nats.kvTemplate({ bucket: name, clustered: (await admin()).clustered });
    return openConfig(meta, t.config, t.notes);
  });

  command(Commands.kvEdit, async (a) => {
    const name = await bucketArg(a);
    const meta: ConfigDocMeta = { kind: 'kv', mode: 'edit', name };
    return edit(meta, a);
  });

  command(Commands.objCreate, async (a) => {
    const nats = await loadNats();
    const name = a.store ?? a.name ?? (await ask('New object store name', { placeHolder: 'assets', validate: (v) => nats.nameProblem('object store', v) }));
    const meta: ConfigDocMeta = { kind: 'obj', mode: 'new', name };
    if (a.config) return applyConfig(meta, { ...a.config, bucket: name }, { confirmed: a.confirmed });
    const t = nats.objectStoreTemplate({ bucket: name, clustered: (await admin()).clustered });
    return openConfig(meta, t.config, t.notes);
  });

  command(Commands.objEdit, async (a) => {
    const name = await storeArg(a);
    const meta: ConfigDocMeta = { kind: 'obj', mode: 'edit', name };
    return edit(meta, a);
  });

  command(Commands.configApply, async (a) => {
    const uri = (a as { uri?: vscode.Uri }).uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== CONFIG_SCHEME) throw new Error('Open a NATS config document (Create/Edit in the NATS explorer) first.');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    // saving applies (ConfigFileSystem.onSave); when nothing is unsaved, apply directly
    if (doc?.isDirty && !a.confirmed) {
      await doc.save();
      return undefined;
    }
    return applyDocument(uri, { confirmed: a.confirmed });
  });

  // ---- delete / purge -----------------------------------------------------------------------

  command(Commands.streamDelete, async (a) => {
    const name = await streamArg(a);
    const s = await (await tree.catalog()).stream(name);
    const ok = await confirm(a, `Delete stream "${name}"?`, `It holds ${fmt.formatCount(s.messages)} messages (${fmt.formatBytes(s.bytes)}) and ${fmt.formatCount(s.consumers)} consumers. Deleting cannot be undone.`, 'Delete Stream');
    if (!ok) return { deleted: false };
    await (await admin()).deleteStream(name);
    tree.invalidate('streams', `consumers/${name}`);
    api.ui.info(`Deleted stream ${name}.`);
    return { deleted: true };
  });

  command(Commands.consumerDelete, async (a) => {
    const [stream, name] = await consumerArg(a);
    const ok = await confirm(a, `Delete consumer "${name}" of stream "${stream}"?`, 'Its delivery state (acks, pending, redeliveries) is lost; clients bound to it stop receiving.', 'Delete Consumer');
    if (!ok) return { deleted: false };
    await (await admin()).deleteConsumer(stream, name);
    tree.invalidate('streams', `consumers/${stream}`);
    api.ui.info(`Deleted consumer ${name} of ${stream}.`);
    return { deleted: true };
  });

  command(Commands.kvDelete, async (a) => {
    const bucket = await bucketArg(a);
    const b = await (await tree.catalog()).kvBucket(bucket);
    const ok = await confirm(a, `Delete KV bucket "${bucket}"?`, `Every key and its history (${fmt.formatCount(b.values)} values, ${fmt.formatBytes(b.bytes)}) is deleted with stream ${b.stream}. This cannot be undone.`, 'Delete Bucket');
    if (!ok) return { deleted: false };
    await (await admin()).deleteKv(bucket);
    tree.invalidate('kvs', 'streams', `keys/${bucket}`);
    api.ui.info(`Deleted KV bucket ${bucket}.`);
    return { deleted: true };
  });

  command(Commands.objDelete, async (a) => {
    const store = await storeArg(a);
    const ok = await confirm(a, `Delete object store "${store}"?`, `Every object in it is deleted with stream OBJ_${store}. This cannot be undone.`, 'Delete Object Store');
    if (!ok) return { deleted: false };
    await (await admin()).deleteObjectStore(store);
    tree.invalidate('objs', 'streams', `objects/${store}`);
    api.ui.info(`Deleted object store ${store}.`);
    return { deleted: true };
  });

  // ---- objects in object stores ----------------------------------------------------------------

  /** Text objects up to this size open read-only in an editor; larger or binary ones are saved. */
  const OPEN_TEXT_LIMIT = 2 * 1024 * 1024;
  const baseName = (p: string) => p.split(/[\\/]/).filter(Boolean).pop() ?? p;

  const objectArg = async (a: Args, store: string): Promise<string> =>
    a.name ?? pick(`Object in ${store}`, (await (await tree.catalog()).objects(store, { limit: 10_000 })).items.filter((o) => !o.link).map((o) => o.name));

  async function saveObject(a: Args, store: string, name: string, data: Uint8Array): Promise<string> {
    let target = a.file ? vscode.Uri.file(a.file) : undefined;
    if (!target) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      target = await vscode.window.showSaveDialog({ title: `Save ${name} from ${store}`, saveLabel: 'Save Object', ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, baseName(name)) } : {}) });
      if (!target) throw new Cancelled();
    }
    await vscode.workspace.fs.writeFile(target, data);
    return target.fsPath;
  }

  command(Commands.objectGet, async (a) => {
    const store = await storeArg(a);
    const name = await objectArg(a, store);
    const c = await (await admin()).getObject(store, name);
    if (!a.file && c.text !== undefined && c.data.length <= OPEN_TEXT_LIMIT) {
      await view(a, `${store} ${baseName(name)}`, c.text);
      return { info: c.info, text: c.text };
    }
    const file = await saveObject(a, store, name, c.data);
    api.ui.info(`Saved ${name} (${fmt.formatBytes(c.data.length)}) to ${file}.`);
    return { info: c.info, file };
  });

  command(Commands.objectSave, async (a) => {
    const store = await storeArg(a);
    const name = await objectArg(a, store);
    const c = await (await admin()).getObject(store, name);
    const file = await saveObject(a, store, name, c.data);
    api.ui.info(`Saved ${name} (${fmt.formatBytes(c.data.length)}) to ${file}.`);
    return { info: c.info, file };
  });

  command(Commands.objectPut, async (a) => {
    const store = await storeArg(a);
    let file = a.file;
    if (!file) {
      const picked = await vscode.window.showOpenDialog({ title: a.name ? `Replace ${a.name} in ${store} with…` : `Upload a file to ${store}`, canSelectMany: false, openLabel: 'Upload' });
      if (!picked?.[0]) throw new Cancelled();
      file = picked[0].fsPath;
    }
    const nats = await loadNats();
    // a picked file gets a name asked for (defaulting to its file name); a scripted one is named after its file
    const name = a.name ?? (a.file ? baseName(file) : await ask(`Object name in ${store}`, { value: baseName(file), validate: (v) => nats.objectNameProblem(v) }));
    const data = await vscode.workspace.fs.readFile(vscode.Uri.file(file));
    const ad = await admin();
    const existing = await ad.objectInfo(store, name);
    if (existing) {
      const ok = await confirm(a, `Replace object "${name}" in object store "${store}"?`, `It holds ${fmt.formatBytes(existing.size)} (modified ${fmt.formatTimeWithAge(existing.modified)}); it becomes ${fmt.formatBytes(data.length)} from ${file}. The old content cannot be recovered.`, 'Replace');
      if (!ok) return { put: false };
    }
    const info = await ad.putObject(store, name, data);
    tree.invalidate('objs', `objects/${store}`);
    api.ui.info(`${existing ? 'Replaced' : 'Uploaded'} ${name} in ${store} (${fmt.formatBytes(info.size)}).`);
    return { put: true, info };
  });

  command(Commands.objectDelete, async (a) => {
    const store = await storeArg(a);
    const name = await objectArg(a, store);
    const info = await (await admin()).objectInfo(store, name);
    if (!info) throw new Error(`object store ${store} has no object "${name}"`);
    const ok = await confirm(a, `Delete object "${name}" from object store "${store}"?`, `${fmt.formatBytes(info.size)} in ${fmt.formatCount(info.chunks)} chunks, modified ${fmt.formatTimeWithAge(info.modified)}. Deleting cannot be undone.`, 'Delete Object');
    if (!ok) return { deleted: false };
    await (await admin()).deleteObject(store, name);
    tree.invalidate('objs', `objects/${store}`);
    api.ui.info(`Deleted ${name} from ${store}.`);
    return { deleted: true };
  });

  command(Commands.streamPurge, async (a, fromTree) => {
    const name = await streamArg(a);
    const opts: PurgeOptions = {};
    if (a.filter) opts.filter = a.filter;
    if (a.keep !== undefined) opts.keep = Number(a.keep);
    if (a.untilSeq !== undefined) opts.untilSeq = Number(a.untilSeq);
    const given = a.filter !== undefined || a.keep !== undefined || a.untilSeq !== undefined;
    if (!given && (fromTree || a.confirmed === undefined)) {
      const choice = await pick(`Purge stream ${name}`, ['All messages', 'Messages on a subject…', 'All but the newest N…', 'Messages below a sequence…']);
      if (choice.startsWith('Messages on')) opts.filter = await ask('Subject filter', { placeHolder: 'orders.eu.>' });
      if (choice.startsWith('All but')) opts.keep = Number(await ask('Keep how many (the newest)?', { value: '10', validate: (v) => (/^\d+$/.test(v) ? undefined : 'a whole number') }));
      if (choice.startsWith('Messages below')) opts.untilSeq = Number(await ask('Purge up to (not including) sequence', { validate: (v) => (/^[1-9]\d*$/.test(v) ? undefined : 'a sequence number ≥ 1') }));
    }
    const what = [
      opts.filter ? `messages on "${opts.filter}"` : 'all messages',
      ...(opts.keep !== undefined ? [`except the newest ${opts.keep}`] : []),
      ...(opts.untilSeq !== undefined ? [`below sequence ${opts.untilSeq}`] : []),
    ].join(' ');
    const s = await (await tree.catalog()).stream(name);
    const ok = await confirm(a, `Purge ${what} from stream "${name}"?`, `The stream holds ${fmt.formatCount(s.messages)} messages (#${s.firstSeq}–#${s.lastSeq}). Purged messages cannot be recovered; consumers skip them.`, 'Purge');
    if (!ok) return { purged: 0, confirmed: false };
    const purged = await (await admin()).purgeStream(name, opts);
    tree.invalidate('streams', `consumers/${name}`);
    api.ui.info(`Purged ${fmt.formatCount(purged)} messages from ${name}.`);
    return { purged, confirmed: true };
  });

  // ---- consumers: pause / resume / reset --------------------------------------------------

  const refuseUnsupported = async (feature: 'pause' | 'consumerReset', what: string) => {
    const f = (await admin()).features[feature];
    if (!f.supported) throw new Error(`${what} is not available: it ${f.reason}.`);
  };

  command(Commands.consumerPause, async (a) => {
    const [stream, name] = await consumerArg(a);
    await refuseUnsupported('pause', 'Pausing a consumer');
    let until: Date;
    if (a.until !== undefined) until = new Date(a.until);
    else {
      const text = await ask(`Pause ${name} until…`, { value: '30m', prompt: 'A duration (30m, 2h, 1d) or an ISO time (2026-12-01T08:00:00Z)', validate: (v) => (fmt.parseDuration(v) !== undefined || !Number.isNaN(Date.parse(v)) ? undefined : 'a duration like 30m or an ISO time') });
      const d = fmt.parseDuration(text);
      until = d !== undefined ? new Date(Date.now() + d) : new Date(text);
    }
    const r = await (await admin()).pauseConsumer(stream, name, until);
    tree.invalidate(`consumers/${stream}`);
    api.ui.info(`Paused ${name} of ${stream} until ${fmt.formatTimeWithAge(r.pauseUntil ?? until.toISOString())}.`);
    return r;
  });

  command(Commands.consumerResume, async (a) => {
    const [stream, name] = await consumerArg(a);
    await refuseUnsupported('pause', 'Resuming a consumer');
    const r = await (await admin()).resumeConsumer(stream, name);
    tree.invalidate(`consumers/${stream}`);
    api.ui.info(`Resumed ${name} of ${stream}.`);
    return r;
  });

  command(Commands.consumerReset, async (a) => {
    const [stream, name] = await consumerArg(a);
    await refuseUnsupported('consumerReset', 'Resetting a consumer');
    let seq = a.seq;
    if (seq === undefined && !a.confirmed) {
      const text = await ask(`Reset ${name} to stream sequence`, { prompt: 'Empty: restart after the ack floor', validate: (v) => (v === '' || /^[1-9]\d*$/.test(v) ? undefined : 'a sequence ≥ 1, or empty') });
      seq = text ? Number(text) : undefined;
    }
    const ok = await confirm(a, `Reset consumer "${name}" of stream "${stream}"${seq ? ` to sequence ${seq}` : ''}?`, seq ? `Delivery restarts at #${seq}: messages from there are delivered again.` : 'Delivery restarts after the ack floor: unacknowledged messages are delivered again.', 'Reset');
    if (!ok) return undefined;
    const r = await (await admin()).resetConsumer(stream, name, seq);
    tree.invalidate(`consumers/${stream}`);
    api.ui.info(`Reset ${name} of ${stream} to #${r.resetSeq}.`);
    return { resetSeq: r.resetSeq };
  });

  // ---- messages -------------------------------------------------------------------------------

  command(Commands.messageGet, async (a) => {
    const stream = await streamArg(a);
    const seq = a.seq ?? Number(await ask(`Message of ${stream} by sequence`, { validate: (v) => (/^[1-9]\d*$/.test(v) ? undefined : 'a sequence ≥ 1') }));
    const m = await (await admin()).getMessage(stream, Number(seq));
    await view(a, `${stream}#${m.seq}.json`, json(m));
    return m;
  });

  command(Commands.messageGetLast, async (a) => {
    const stream = await streamArg(a);
    const subject = a.subject ?? (await ask(`Last message of ${stream} on subject`, { placeHolder: 'orders.eu.1234' }));
    const m = await (await admin()).getLastMessage(stream, subject);
    await view(a, `${stream} ${subject}.json`, json(m));
    return m;
  });

  command(Commands.messageDelete, async (a) => {
    const stream = await streamArg(a);
    const seq = a.seq ?? Number(await ask(`Delete message of ${stream} by sequence`, { validate: (v) => (/^[1-9]\d*$/.test(v) ? undefined : 'a sequence ≥ 1') }));
    const ok = await confirm(a, `Delete message #${seq} from stream "${stream}"?`, 'The message is removed for good; consumers that have not seen it skip it.', 'Delete Message');
    if (!ok) return { deleted: false };
    await (await admin()).deleteMessage(stream, Number(seq));
    tree.invalidate('streams');
    return { deleted: true };
  });

  // ---- KV -------------------------------------------------------------------------------------

  command(Commands.kvSetKeyFilter, async (a) => {
    const bucket = await bucketArg(a);
    const nats = await loadNats();
    const filter = a.filter ?? (await ask(`Key filter for ${bucket}`, { value: tree.keyFilter(bucket) ?? '>', prompt: 'e.g. orders.> (empty or > shows every key)', validate: (v) => (v === '' ? undefined : nats.kvKeyProblem(v, { filter: true })) }));
    tree.setKeyFilter(bucket, filter || undefined);
    return tree.keyFilter(bucket);
  });

  command(Commands.kvGet, async (a) => {
    const bucket = await bucketArg(a);
    const key = await keyArg(a, bucket);
    const e = await (await admin()).kvGet(bucket, key, a.revision !== undefined ? { revision: a.revision } : {});
    if (!e) throw new Error(`key "${key}" has no value in bucket ${bucket} (never written, or deleted/purged)`);
    const looksJson = e.text !== undefined && /^\s*[[{"]/.test(e.text);
    const body = e.operation !== 'PUT' ? json(e) : e.text !== undefined ? e.text : json(e);
    await view(a, `${bucket} ${key} @${e.revision}${looksJson ? '.json' : '.txt'}`, body);
    return e;
  });

  const valueArg = async (a: Args, title: string, value?: string) => a.value ?? (await ask(title, { value }));

  command(Commands.kvPut, async (a) => {
    const bucket = await bucketArg(a);
    const key = await keyArg(a, bucket);
    const value = await valueArg(a, `Value of ${bucket} › ${key}`);
    const revision = await (await admin()).kvPut(bucket, key, value);
    tree.invalidate('kvs', `keys/${bucket}`);
    api.ui.info(`${bucket} › ${key} = revision ${revision}.`);
    return { revision };
  });

  command(Commands.kvCreateKey, async (a) => {
    const bucket = await bucketArg(a);
    const key = await keyArg(a, bucket);
    const value = await valueArg(a, `Value of new key ${bucket} › ${key}`);
    const revision = await (await admin()).kvCreate(bucket, key, value);
    tree.invalidate('kvs', `keys/${bucket}`);
    api.ui.info(`Created ${bucket} › ${key} at revision ${revision}.`);
    return { revision };
  });

  command(Commands.kvUpdate, async (a) => {
    const bucket = await bucketArg(a);
    const key = await keyArg(a, bucket);
    const ad = await admin();
    let revision = a.revision;
    let current: string | undefined;
    if (revision === undefined) {
      // read first: the update then only wins if nobody wrote the key in between (CAS)
      const e = await ad.kvGet(bucket, key);
      if (!e) throw new Error(`key "${key}" has no value in bucket ${bucket}; use Create Key`);
      revision = e.revision;
      current = e.text;
    }
    const value = await valueArg(a, `New value of ${bucket} › ${key} (only if still at revision ${revision})`, current);
    const next = await ad.kvUpdate(bucket, key, value, revision);
    tree.invalidate('kvs', `keys/${bucket}`);
    api.ui.info(`${bucket} › ${key}: revision ${revision} → ${next}.`);
    return { revision: next };
  });

  command(Commands.kvDeleteKey, async (a) => {
    const bucket = await bucketArg(a);
    const key = await keyArg(a, bucket);
    const ok = await confirm(a, `Delete key "${key}" from KV bucket "${bucket}"?`, 'A delete marker is written; earlier revisions stay in the history until they age out or the key is purged.', 'Delete Key');
    if (!ok) return { deleted: false };
    await (await admin()).kvDelete(bucket, key, a.revision !== undefined ? { expectedRevision: a.revision } : {});
    tree.invalidate('kvs', `keys/${bucket}`);
    return { deleted: true };
  });

  command(Commands.kvPurgeKey, async (a) => {
    const bucket = await bucketArg(a);
    const key = await keyArg(a, bucket);
    const ok = await confirm(a, `Purge key "${key}" from KV bucket "${bucket}"?`, 'Every revision of the key is removed, leaving one purge marker. The history cannot be recovered.', 'Purge Key');
    if (!ok) return { purged: false };
    await (await admin()).kvPurge(bucket, key);
    tree.invalidate('kvs', `keys/${bucket}`);
    return { purged: true };
  });

  command(Commands.kvHistory, async (a) => {
    const bucket = await bucketArg(a);
    const key = await keyArg(a, bucket);
    const entries = await (await admin()).kvHistory(bucket, key);
    const lines = [
      `# History of ${key} in ${bucket}`,
      '',
      '| Revision | Operation | Created | Length | Value |',
      '| ---: | :--- | :--- | ---: | :--- |',
      ...entries.map((e) => `| ${e.revision} | ${e.operation} | ${fmt.formatTimestamp(e.created)} | ${e.length} | ${(e.text ?? (e.base64 ? `base64:${e.base64}` : '')).replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 200)} |`),
      '',
    ];
    await view(a, `${bucket} ${key} history.md`, lines.join('\n'));
    return entries;
  });

  // ---- copy ----------------------------------------------------------------------------------

  command(Commands.streamCopyCliCommand, async (a) => {
    const name = await streamArg(a);
    const cfg = await liveConfig({ kind: 'stream', name });
    const text = (await loadNats()).toNatsCliCommand('stream', cfg, { style: a.style });
    await vscode.env.clipboard.writeText(text);
    api.ui.info(`Copied: ${text.length > 120 ? `${text.slice(0, 117)}…` : text}`);
    return text;
  });

  command(Commands.consumerCopyCliCommand, async (a) => {
    const [stream, name] = await consumerArg(a);
    const cfg = await liveConfig({ kind: 'consumer', name, stream });
    const text = (await loadNats()).toNatsCliCommand('consumer', { ...cfg, stream_name: stream }, { style: a.style });
    await vscode.env.clipboard.writeText(text);
    api.ui.info(`Copied: ${text.length > 120 ? `${text.slice(0, 117)}…` : text}`);
    return text;
  });

  command(Commands.explorerCopyName, async (a) => {
    const text = a.key ?? a.consumer ?? a.name ?? a.stream ?? a.bucket ?? a.store;
    if (!text) throw new Error('nothing to copy: pick a stream, consumer, bucket, key or object');
    await vscode.env.clipboard.writeText(text);
    return text;
  });

  command(Commands.streamCopySubjects, async (a) => {
    const name = await streamArg(a);
    const s = await (await tree.catalog()).stream(name);
    const text = s.subjects.join(' ');
    await vscode.env.clipboard.writeText(text);
    return text;
  });

  // ---- tree ----------------------------------------------------------------------------------

  command(Commands.explorerLoadMore, async (a) => tree.loadMore(a.name ?? ''));

  // ---- reports ---------------------------------------------------------------------------------

  /**
   * The reports open in a webview table (reportPanel.ts) and return the state they show, rows
   * in the order of the `sort` argument (a column id or title; numeric columns descending
   * unless `descending: false`). `show: false` opens nothing.
   */
  const sortOf = (a: Args) => (a.sort ? { by: a.sort, ...(a.descending !== undefined ? { descending: a.descending } : {}) } : undefined);
  const subtitleOf = (extra = '') => `${connections.current.profile?.name ?? 'not connected'}${extra}`;

  const readStreamReport = async (sort?: { by: string; descending?: boolean }) => {
    const cat = await tree.catalog();
    const streams = await cat.allStreams({ includeSystem: vscode.workspace.getConfiguration('natsFlow.explorer').get<boolean>('showSystemStreams', false) });
    return streamReport(streams, { subtitle: subtitleOf(), sort });
  };

  const readConsumerReport = async (stream: string, sort?: { by: string; descending?: boolean }) => {
    const consumers = await (await tree.catalog()).allConsumers(stream);
    return consumerReport(stream, consumers, { subtitle: subtitleOf(` · stream ${stream}`), sort });
  };

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, saved) =>
        void (await ReportPanel.restore(panel, context.extensionUri, saved, {
          connected: () => connections.current.state === 'connected',
          read: (kind, stream, sort) => (kind === 'streams' ? readStreamReport(sort) : readConsumerReport(stream, sort)),
        })),
    }),
  );

  command(Commands.explorerStreamReport, async (a) => {
    const sort = sortOf(a);
    const state = await readStreamReport(sort);
    if (a.show !== false) ReportPanel.show(context.extensionUri, 'streams', state, () => readStreamReport(sort));
    return state;
  });

  command(Commands.explorerConsumerReport, async (a) => {
    const stream = await streamArg(a);
    const sort = sortOf(a);
    const state = await readConsumerReport(stream, sort);
    if (a.show !== false) ReportPanel.show(context.extensionUri, `consumers/${stream}`, state, () => readConsumerReport(stream, sort));
    return state;
  });
  context.subscriptions.push({ dispose: () => ReportPanel.disposeAll() });

  return api;
}

class Cancelled extends Error {}

/** A live stream/consumer config for editing: the server's own `_nats.*` metadata left out. */
function withoutServerMetadata(c: { metadata?: Record<string, string> }): Record<string, unknown> {
  const { metadata, ...rest } = c;
  const user = Object.entries(metadata ?? {}).filter(([k]) => !k.startsWith('_nats.'));
  return user.length ? { ...rest, metadata: Object.fromEntries(user) } : rest;
}

const showValue = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));

function describeChange(c: ConfigChange): string {
  return `${c.immutable ? '✖ ' : '• '}${c.field}: ${showValue(c.before)} → ${showValue(c.after)}${c.immutable ? ` (${c.reason})` : ''}`;
}
