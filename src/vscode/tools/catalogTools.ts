/**
 * Read-only language model tools over the connected server, next to `nats-flow_decide`:
 * list streams, stream info, consumer info, KV get. Each asks for confirmation naming what it
 * reads and where; results carry the server's name, never its URL or credentials.
 */
import * as vscode from 'vscode';
import type { Catalog } from '../../nats/catalog';
import { bool, object, optional, str, type Check } from '../../shared/validate';
import type { ConnectionService } from '../connections/connectionService';
import type { ConnectionsTree } from '../explorer';
import { log } from '../log';
import { DESIGN_LINT_TOOL, DesignLintTool } from './designLintTool';

export const CATALOG_TOOL_NAMES = {
  listStreams: 'nats-flow_listStreams',
  streamInfo: 'nats-flow_streamInfo',
  consumerInfo: 'nats-flow_consumerInfo',
  kvGet: 'nats-flow_kvGet',
} as const;

/** How much of a KV value a tool returns. */
export const KV_VALUE_LIMIT = 8 * 1024;

interface Deps {
  connections: ConnectionService;
  tree: ConnectionsTree;
}

const NAME = str(256);

interface ToolSpec<T> {
  check: Check<T>;
  /** What the confirmation names. */
  describe(input: T): string;
  run(catalog: Catalog, input: T): Promise<unknown>;
  /** One line for the readable half of the result. */
  summary(input: T, result: unknown): string;
}

export const TOOL_SPECS = {
  [CATALOG_TOOL_NAMES.listStreams]: {
    check: object({ subject: optional(str(1024)), includeSystem: optional(bool) }),
    describe: (i) => `List the streams${i.subject ? ` capturing ${i.subject}` : ''}`,
    run: async (c, i) =>
      (await c.allStreams({ includeSystem: i.includeSystem ?? false, ...(i.subject && { filter: i.subject }) })).map((s) => ({
        name: s.name,
        subjects: s.subjects,
        retention: s.retention,
        storage: s.storage,
        replicas: s.replicas,
        messages: s.messages,
        bytes: s.bytes,
        consumers: s.consumers,
      })),
    summary: (_i, r) => `${(r as unknown[]).length} stream(s)`,
  } satisfies ToolSpec<{ subject?: string; includeSystem?: boolean }>,
  [CATALOG_TOOL_NAMES.streamInfo]: {
    check: object({ stream: NAME }),
    describe: (i) => `Read stream ${i.stream}`,
    run: (c, i) => c.stream(i.stream),
    summary: (i) => `Stream ${i.stream}`,
  } satisfies ToolSpec<{ stream: string }>,
  [CATALOG_TOOL_NAMES.consumerInfo]: {
    check: object({ stream: NAME, consumer: NAME }),
    describe: (i) => `Read consumer ${i.consumer} on stream ${i.stream}`,
    run: (c, i) => c.consumer(i.stream, i.consumer),
    summary: (i) => `Consumer ${i.consumer} on ${i.stream}`,
  } satisfies ToolSpec<{ stream: string; consumer: string }>,
  [CATALOG_TOOL_NAMES.kvGet]: {
    check: object({ bucket: NAME, key: str(1024) }),
    describe: (i) => `Read key "${i.key}" of KV bucket ${i.bucket}`,
    run: async (c, i) => {
      const e = await (await c.openKv(i.bucket)).get(i.key);
      if (!e) return { bucket: i.bucket, key: i.key, found: false };
      const text = new TextDecoder().decode(e.value.subarray(0, KV_VALUE_LIMIT));
      return { bucket: i.bucket, key: i.key, found: true, operation: e.operation, revision: e.revision, created: e.created.toISOString(), length: e.length, value: text, truncated: e.value.length > KV_VALUE_LIMIT };
    },
    summary: (i, r) => ((r as { found: boolean }).found ? `KV ${i.bucket} ${i.key}` : `KV ${i.bucket}: no key ${i.key}`),
  } satisfies ToolSpec<{ bucket: string; key: string }>,
};

export type CatalogToolName = keyof typeof TOOL_SPECS;

export class CatalogTool<T> implements vscode.LanguageModelTool<T> {
  constructor(
    private readonly spec: ToolSpec<T>,
    private readonly deps: Deps,
  ) {}

  private where(): string {
    const s = this.deps.connections.current;
    return s.profile?.name ?? s.server?.serverName ?? 'the NATS server';
  }

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<T>): vscode.PreparedToolInvocation {
    const input = this.spec.check(options.input ?? {}, 'input');
    const what = this.spec.describe(input);
    return {
      invocationMessage: `${what} on ${this.where()}`,
      confirmationMessages: { title: `NATS: ${what}`, message: new vscode.MarkdownString(`${what} on **${this.where()}** (read-only).`) },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<T>): Promise<vscode.LanguageModelToolResult> {
    const input = this.spec.check(options.input ?? {}, 'input');
    const result = await runTool(this.spec, this.deps, input);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(result.summary), new vscode.LanguageModelTextPart(JSON.stringify(result.data))]);
  }
}

/** Runs one tool: the data, with the server named by its server name only. */
export async function runTool<T>(spec: ToolSpec<T>, deps: Deps, input: T): Promise<{ summary: string; data: unknown }> {
  const catalog = await deps.tree.catalog(); // throws "Not connected…" with what to do
  const data = await spec.run(catalog, input);
  const server = deps.connections.current.server?.serverName;
  return { summary: `${spec.summary(input, data)}${server ? ` (server ${server})` : ''}`, data: { server, result: data } };
}

export function registerCatalogTools(context: vscode.ExtensionContext, deps: Deps): string[] {
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  const registered: string[] = [];
  for (const [name, spec] of Object.entries(TOOL_SPECS)) {
    try {
      context.subscriptions.push(vscode.lm.registerTool(name, new CatalogTool(spec as ToolSpec<unknown>, deps)));
      registered.push(name);
    } catch (err) {
      log().warn(`language model tool ${name} not registered: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  try {
    context.subscriptions.push(vscode.lm.registerTool(DESIGN_LINT_TOOL, new DesignLintTool()));
    registered.push(DESIGN_LINT_TOOL);
  } catch (err) {
    log().warn(`language model tool ${DESIGN_LINT_TOOL} not registered: ${err instanceof Error ? err.message : String(err)}`);
  }
  return registered;
}

/** For tests: run a tool by name with raw input, as invoke() would (validation included). */
export async function invokeCatalogTool(deps: Deps, name: CatalogToolName, raw: unknown): Promise<{ summary: string; data: unknown; confirmation: string }> {
  const spec = TOOL_SPECS[name] as ToolSpec<unknown>;
  const input = spec.check(raw ?? {}, 'input');
  return { ...(await runTool(spec, deps, input)), confirmation: spec.describe(input) };
}
