/**
 * The designer's server side: preview and apply (src/nats/designApply.ts) against the
 * connection the explorer uses, the live overlay (stream/consumer/bucket numbers per planned
 * object, on an interval) and opening the live tail of a path.
 */
import * as vscode from 'vscode';
import type { FlowDesign } from '../../core/design/model';
import { showValue, type Plan } from '../../core/design/plan';
import { planAndLint } from '../../core/design/lint';
import { loadDesign } from '../../core/design/validate';
import { mostReplicasAsked, parseReplicasCap, replicasRefusal, type ReplicaCheck } from '../../core/design/replicas';
import type { DesignApplyResult, DesignChangeView, DesignLiveState, DesignPreviewResult, DesignReplicasView, DesignServerState, TailTarget } from '../../shared/designProtocol';
import type { ConnectionService } from '../connections/connectionService';
import type { ExplorerApi } from '../explorer';
import { log } from '../log';
import { Commands } from '../commands';

/** Loaded on first use, like the rest of the NATS side (src/nats/index.ts leaves the design code out). */
const loadNats = () => import('../../nats/designApply');

type Nats = Awaited<ReturnType<typeof loadNats>>;
type Change = Awaited<ReturnType<Nats['diffPlan']>>[number];

export function changeView(c: Change): DesignChangeView {
  return {
    kind: c.kind,
    name: c.name,
    ...(c.stream ? { stream: c.stream } : {}),
    action: c.action,
    details: c.changes.map((x) => `${x.field}: ${showValue(x.field, x.before)} → ${showValue(x.field, x.after)}${x.immutable ? ' (fixed at creation)' : ''}`),
    ...(c.reason ? { reason: c.reason } : {}),
  };
}

export function replicasView(r: ReplicaCheck, plan: Plan): DesignReplicasView {
  return {
    server: r.limit.describe,
    ...(r.limit.max !== undefined ? { max: r.limit.max } : {}),
    most: mostReplicasAsked(plan),
    over: r.over.map(({ object, planned }) => ({ object, planned })),
    capped: r.capped,
    ...(r.cap !== undefined ? { cap: r.cap } : {}),
  };
}

const label = (c: { kind: string; name: string; stream?: string }) => (c.kind === 'consumer' ? `consumer ${c.stream}/${c.name}` : `${c.kind} ${c.name}`);

export class DesignerServer {
  constructor(
    private readonly connections: ConnectionService,
    private readonly explorer: ExplorerApi,
  ) {}

  state(): DesignServerState {
    const c = this.connections.current;
    return { connected: c.state === 'connected', ...(c.profile && c.state === 'connected' ? { name: c.profile.name } : {}) };
  }

  private planOf(document: vscode.TextDocument): { design: FlowDesign; plan: Plan; errors: string[] } | { problem: string } {
    const loaded = loadDesign(document.getText());
    if (!loaded.ok) return { problem: `the design has ${loaded.problems.length} problem(s); fix them first (see Problems): ${loaded.problems[0]!.pointer || '(document)'}: ${loaded.problems[0]!.message}` };
    const { plan, findings } = planAndLint(loaded.design);
    return { design: loaded.design, plan, errors: findings.filter((f) => f.severity === 'error').map((f) => f.message) };
  }

  /**
   * What applying would do. The plan is checked against the server's size: objects asking for
   * more replicas than it holds are listed (`replicas.over`) and, with `replicasCap`, lowered
   * and listed again (`replicas.capped`).
   */
  async preview(document: vscode.TextDocument, prune: boolean, replicasCap?: number): Promise<DesignPreviewResult & { raw?: Change[]; plan?: Plan; check?: ReplicaCheck }> {
    if (this.connections.current.state !== 'connected') return { ok: false, message: 'Not connected to NATS. Connect first (NATS: Connect), then preview again.', changes: [] };
    const p = this.planOf(document);
    if ('problem' in p) return { ok: false, message: p.problem, changes: [] };
    if (p.errors.length) return { ok: false, message: `the design has lint errors; nothing can be applied: ${p.errors.join('; ')}`, changes: [] };
    const { cap, error } = parseReplicasCap(replicasCap);
    if (error) return { ok: false, message: error, changes: [] };
    const nats = await loadNats();
    const admin = await this.explorer.admin();
    const { plan, replicas } = nats.planForServer(p.design, admin, cap !== undefined ? { replicasCap: cap, capReason: `capped at ${cap} in the designer's Apply tab` } : {});
    const raw = await nats.diffPlan(admin, plan, { prune });
    return { ok: true, message: '', server: this.connections.current.profile?.name, changes: raw.map(changeView), replicas: replicasView(replicas, plan), raw, plan, check: replicas };
  }

  async apply(document: vscode.TextDocument, prune: boolean, replicasCap?: number): Promise<DesignApplyResult> {
    let preview = await this.preview(document, prune, replicasCap);
    if (!preview.ok || !preview.raw || !preview.plan) return { ok: false, cancelled: false, message: preview.message, steps: [] };
    const hasWork = (raw: Change[]) => raw.some((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete');
    const over = preview.check?.over ?? [];
    if (over.length && hasWork(preview.raw)) {
      // R3 on a single server fails stream by stream: offer the cap up front, naming every object
      const max = preview.check!.limit.max!;
      const refusal = replicasRefusal(preview.check!, (n) => `Capping at ${n}`);
      if (!(await this.explorer.ui.confirm(`${preview.plan.design}: the server holds at most ${max} replica${max === 1 ? '' : 's'}; ${over.length} object${over.length === 1 ? ' asks' : 's ask'} for more. Cap them at ${max}?`, refusal, `Cap at ${max} and Continue`))) {
        return { ok: false, cancelled: true, message: `Nothing applied: ${over.map((o) => `${o.object} asks for ${o.planned} replicas`).join(', ')}; the server holds ${max}.`, steps: [] };
      }
      preview = await this.preview(document, prune, max);
      if (!preview.ok || !preview.raw || !preview.plan) return { ok: false, cancelled: false, message: preview.message, steps: [] };
    }
    const capped = preview.check?.capped ?? [];
    const work = preview.raw.filter((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete');
    if (!work.length) {
      const blocked = preview.raw.filter((c) => c.action === 'cannot-change');
      return { ok: !blocked.length, cancelled: false, message: blocked.length ? `Nothing to apply; ${blocked.length} cannot change: ${blocked.map(label).join(', ')}` : 'Nothing to change: the server already matches the design.', steps: [] };
    }
    const deletes = work.filter((c) => c.action === 'delete');
    const server = preview.server ?? 'the server';
    const message = deletes.length
      ? `Apply "${preview.plan.design}" to ${server}, DELETING ${deletes.map(label).join(', ')}?`
      : `Apply "${preview.plan.design}" to ${server}: ${work.map((c) => `${c.action} ${label(c)}`).join(', ')}?`;
    const cappedNote = capped.length ? `Replicas capped at ${preview.check!.cap}: ${capped.map((o) => `${o.object} ${o.planned} → ${o.capped}`).join(', ')}\n\n` : '';
    const detail = cappedNote + preview.raw.map((c) => `${c.action} ${label(c)}${c.changes.length ? ` (${changeView(c).details.join('; ')})` : ''}`).join('\n');
    if (!(await this.explorer.ui.confirm(message, detail, deletes.length ? 'Apply and Delete' : 'Apply'))) {
      return { ok: false, cancelled: true, message: 'Nothing applied.', steps: [] };
    }
    const nats = await loadNats();
    const admin = await this.explorer.admin();
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Applying ${preview.plan.design}`, cancellable: false }, (progress) =>
      nats.applyPlan(admin, preview.plan!, preview.raw!, {
        onStep: (step, i, total) => progress.report({ message: `${i}/${total} ${step.change.action} ${label(step.change)}: ${step.status}`, increment: 100 / total }),
      }),
    );
    this.explorer.tree.refresh();
    const steps = report.steps.map((s) => ({ label: `${s.change.action} ${label(s.change)}`, status: s.status, ...(s.error ? { error: `${s.error.message}${s.error.hint ? ` (${s.error.hint})` : ''}` } : {}) }));
    const msg = `${report.done} done, ${report.failed} failed, ${report.skipped} skipped${report.failed || report.skipped ? ': fix the cause and apply again; it continues from here' : ''}${capped.length ? ` (replicas capped at ${preview.check!.cap}: ${capped.map((o) => o.object).join(', ')})` : ''}`;
    log().info(`designer apply ${preview.plan.design} → ${server}: ${msg}`);
    return { ok: report.failed === 0 && report.skipped === 0, cancelled: false, message: msg, steps };
  }

  /** Numbers for every planned object; objects missing on the server are flagged. */
  async live(document: vscode.TextDocument, previous?: { at: number; messages: Map<string, number> }): Promise<DesignLiveState | undefined> {
    if (this.connections.current.state !== 'connected') return undefined;
    const p = this.planOf(document);
    if ('problem' in p) return undefined;
    const admin = await this.explorer.admin();
    const jsm = await admin.jsm();
    const now = Date.now();
    const streamInfo = async (name: string) => jsm.streams.info(name).catch(() => undefined);
    const streams: DesignLiveState['streams'] = [];
    for (const s of p.plan.streams) {
      const si = await streamInfo(s.config.name);
      const messages = si?.state.messages ?? 0;
      const before = previous?.messages.get(s.config.name);
      const rate = previous && before !== undefined ? Math.max(0, (messages - before) / ((now - previous.at) / 1000)) : 0;
      streams.push({ name: s.config.name, exists: Boolean(si), messages, bytes: si?.state.bytes ?? 0, rate });
    }
    const consumers: DesignLiveState['consumers'] = [];
    for (const c of p.plan.consumers) {
      const ci = await jsm.consumers.info(c.stream, c.config.durable_name).catch(() => undefined);
      consumers.push({ stream: c.stream, name: c.config.durable_name, exists: Boolean(ci), pending: ci?.num_pending ?? 0, ackPending: ci?.num_ack_pending ?? 0 });
    }
    const buckets: DesignLiveState['buckets'] = [];
    for (const b of p.plan.buckets) {
      const si = await streamInfo(`KV_${b.config.bucket}`);
      buckets.push({ name: b.config.bucket, exists: Boolean(si), values: si?.state.messages ?? 0 });
    }
    return { at: new Date(now).toISOString(), streams, consumers, buckets };
  }

  async openTail(target: TailTarget): Promise<{ opened: boolean; message: string }> {
    await vscode.commands.executeCommand(Commands.tailOpen, target);
    return { opened: true, message: `Opened the tail of ${target.source === 'kv' ? `bucket ${target.bucket}` : target.source === 'stream' ? `stream ${target.stream}` : target.subject}.` };
  }
}

/** Polls the live overlay of one designer while it is open and the connection is up. */
export function startLiveOverlay(server: DesignerServer, document: vscode.TextDocument, post: (s: DesignLiveState) => void, intervalMs = 5_000): vscode.Disposable {
  let previous: { at: number; messages: Map<string, number> } | undefined;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const s = await server.live(document, previous);
      if (s) {
        previous = { at: Date.parse(s.at), messages: new Map(s.streams.map((x) => [x.name, x.messages])) };
        post(s);
      }
    } catch (err) {
      log().debug(`designer live overlay: ${String(err)}`);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  return { dispose: () => clearInterval(timer) };
}
