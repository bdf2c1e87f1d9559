import * as vscode from 'vscode';
import type { ConfigKind } from '../../nats/templates';

/** Scheme of the editable config documents (create/edit stream, consumer, KV bucket, object store). */
export const CONFIG_SCHEME = 'natsflow-config';
/** Scheme of read-only views: messages, KV values and history, reports, live configs. */
export const VIEW_SCHEME = 'natsflow-view';

export interface ConfigDocMeta {
  kind: ConfigKind;
  /** `new`: saving creates; `edit`: saving updates the live object. */
  mode: 'new' | 'edit';
  /** Stream name, consumer name, bucket or store. */
  name: string;
  /** The stream a consumer belongs to. */
  stream?: string;
}

/** File name suffixes the JSON schemas are bound to (package.json `jsonValidation`). */
export const CONFIG_SUFFIX: Record<ConfigKind, string> = {
  stream: '.nats-stream.json',
  consumer: '.nats-consumer.json',
  kv: '.nats-kv.json',
  obj: '.nats-obj.json',
};

export function configUri(meta: ConfigDocMeta): vscode.Uri {
  const parts = [meta.kind, meta.mode, ...(meta.stream ? [meta.stream] : []), `${meta.name}${CONFIG_SUFFIX[meta.kind]}`];
  return vscode.Uri.from({ scheme: CONFIG_SCHEME, path: `/${parts.map(encodeURIComponent).join('/')}` });
}

interface ConfigFile {
  meta: ConfigDocMeta;
  data: Uint8Array;
  mtime: number;
  ctime: number;
}

const enc = new TextEncoder();

/**
 * An in-memory file system for config documents: a real "file" (so Save works, the JSON
 * language service validates it against media/schemas, and there is no "save as" prompt), kept
 * only as long as the window. Saving hands the text to `onSave`, which shows the diff and
 * applies after confirmation; a failed apply leaves the edited text in place to fix.
 */
export class ConfigFileSystem implements vscode.FileSystemProvider {
  private readonly files = new Map<string, ConfigFile>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  onSave?: (uri: vscode.Uri, meta: ConfigDocMeta, text: string) => void;

  /** Creates (or replaces) the document's content and returns its uri. */
  put(meta: ConfigDocMeta, config: object): vscode.Uri {
    const uri = configUri(meta);
    const now = Date.now();
    this.files.set(uri.path, { meta, data: enc.encode(`${JSON.stringify(config, null, 2)}\n`), mtime: now, ctime: now });
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    return uri;
  }

  meta(uri: vscode.Uri): ConfigDocMeta | undefined {
    return this.files.get(uri.path)?.meta;
  }

  /** After a create succeeds the same document edits what it created. */
  setMeta(uri: vscode.Uri, meta: ConfigDocMeta): void {
    const f = this.files.get(uri.path);
    if (f) f.meta = meta;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.files.get(uri.path);
    if (f) return { type: vscode.FileType.File, ctime: f.ctime, mtime: f.mtime, size: f.data.byteLength };
    if ([...this.files.keys()].some((p) => p.startsWith(`${uri.path.replace(/\/$/, '')}/`))) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('config documents have no folders');
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const f = this.files.get(uri.path);
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f.data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const f = this.files.get(uri.path);
    if (!f) throw vscode.FileSystemError.NoPermissions('open config documents through the NATS explorer (create/edit commands)');
    f.data = content;
    f.mtime = Date.now();
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    // applied after the save completes: the diff and the confirmation must not hold the save
    const text = new TextDecoder().decode(content);
    setTimeout(() => this.onSave?.(uri, f.meta, text), 0);
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('config documents cannot be renamed');
  }
}

/** Read-only documents (a TextDocumentContentProvider is read-only by nature). */
export class ViewDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private seq = 0;

  /** `name` ends in the extension that picks the language (`.json`, `.md`, `.txt`). */
  set(name: string, text: string): vscode.Uri {
    // a counter keeps two views of the same thing (before/after) apart
    const uri = vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${++this.seq}/${name.replace(/[\\/:*?"<>|]/g, '_')}` });
    this.contents.set(uri.toString(), text);
    this.emitter.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  async open(name: string, text: string, opts: { preview?: boolean; show?: boolean } = {}): Promise<vscode.Uri> {
    const uri = this.set(name, text);
    if (opts.show !== false) {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: opts.preview ?? true });
    }
    return uri;
  }
}
