/**
 * `natsFlow.decide.open` ("Decide KV or Stream") and the `nats-flow_decide` language model
 * tool.
 *
 * - No argument (palette), or a Uri (editor context menu): the interactive flow, the
 *   editor's selection pre-filling the description.
 * - `{ description?, answers?, environment?, showPanel? }`: no prompts; returns the Decision
 *   and shows it unless `showPanel === false` (tests and scripts).
 */
import * as vscode from 'vscode';
import { decide, type Decision, type Environment } from '../../core/decide';
import { checkAnswers, MAX_DESCRIPTION } from '../../shared/decideValidate';
import type { DecideCreateResult, DecideViewState } from '../../shared/protocol';
import { bool, isPlainObject, object, oneOf, optional, str } from '../../shared/validate';
import { Commands } from '../commands';
import { log } from '../log';
import { registerCommand } from '../registerCommand';
import type { ConnectionService } from '../connections/connectionService';
import { describeError, type ExplorerApi } from '../explorer';
import { checkCollisions, modelLoadTimes, type CollisionCheck } from '../../core/decide';
import { creationPlan, DEAD_LETTER_ACTION } from './createPlan';
import { DECIDE_VIEW_TYPE, DecidePanel, runDecision, type DecidePanelDeps } from './decidePanel';
import { DECIDE_TOOL_NAME, DecideTool } from './decideTool';
import { runDecideFlow, type FlowIO, type FlowPick, type FlowStep } from './flowSteps';
import { buildViewState, NOT_CONNECTED, type ServerStatus } from './viewState';
import { languageModelAdvisor, lmCalls } from './languageModel';

export interface DecideOpenArgs {
  description?: string;
  answers?: Record<string, string>;
  environment?: Environment;
  showPanel?: boolean;
}

/** What tests (and other features) can see of the decide feature. */
export interface DecideApi {
  /** The state the open panel shows, or undefined when no panel is open. */
  readonly panelState: DecideViewState | undefined;
  /** True once the panel's webview said `webview/ready`. */
  readonly webviewReady: boolean;
  /** What the webview last reported it rendered. */
  readonly lastRendered: { primitive: string; tests: number } | undefined;
  /** Problems the webview reported (`webview/error`). */
  readonly webviewErrors: readonly string[];
  /** The handlers the webview's requests reach, for driving them as the webview would. */
  readonly panelHandlers: DecidePanel['handlers'] | undefined;
  readonly toolRegistered: boolean;
  /** How often `vscode.lm` was called (selectChatModels, sendRequest): 0 while the setting is off. */
  readonly languageModelCalls: Readonly<typeof lmCalls>;
  /** How long loading each file of the pre-classifier's model took; empty until a description is first classified. */
  readonly modelLoadTimes: ReturnType<typeof modelLoadTimes>;
  closePanel(): void;
}

const checkOpenArgs = object({
  description: optional(str(MAX_DESCRIPTION)),
  answers: optional(checkAnswers),
  environment: optional(oneOf('production', 'development')),
  showPanel: optional(bool),
});

const SCRIPT_KEYS = ['description', 'answers', 'environment', 'showPanel'];

function isScriptedArgs(arg: unknown): arg is DecideOpenArgs {
  return isPlainObject(arg) && !(arg instanceof vscode.Uri) && SCRIPT_KEYS.some((k) => k in arg);
}

// production unless told: its suggestions (R3, file storage) are the safe side to err on
const DEFAULT_ENVIRONMENT: Environment = 'production';

/** The QuickPick/InputBox side of the flow (flowSteps.ts holds the logic). */
const quickInputIO: FlowIO = {
  askDescription(initial) {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = 'Decide KV or Stream';
      box.prompt = 'What are you designing? Describe the communication path (optional: you can answer the tests yourself).';
      box.placeholder = 'e.g. order placed: exactly one worker charges the card, never twice';
      box.value = initial;
      box.ignoreFocusOut = true;
      let done = false;
      const finish = (v: string | undefined) => {
        if (done) return;
        done = true;
        resolve(v);
        box.dispose();
      };
      box.onDidAccept(() => finish(box.value));
      box.onDidHide(() => finish(undefined));
      box.show();
    });
  },
  pick(step: FlowStep) {
    return new Promise<FlowPick | undefined>((resolve) => {
      type Item = vscode.QuickPickItem & { pick?: FlowPick };
      const qp = vscode.window.createQuickPick<Item>();
      qp.title = `Decide KV or Stream (${step.index + 1}/${step.total}): ${step.title}`;
      qp.placeholder = step.question;
      qp.ignoreFocusOut = true;
      qp.matchOnDescription = true;
      qp.matchOnDetail = true;
      qp.buttons = [vscode.QuickInputButtons.Back];
      const items: Item[] = [];
      let active: Item | undefined;
      for (const it of step.items) {
        if (it.pick.kind === 'stop') items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
        const item: Item = {
          label: it.pick.kind === 'stop' ? `$(pass) ${it.label}` : it.label,
          description: it.description ? `${it.description.startsWith('suggested') ? '$(hubot)' : '$(sparkle)'} ${it.description}` : undefined,
          detail: it.detail,
          pick: it.pick,
        };
        items.push(item);
        if (it.active) active = item;
      }
      qp.items = items;
      if (active) qp.activeItems = [active];
      let done = false;
      const finish = (v: FlowPick | undefined) => {
        if (done) return;
        done = true;
        resolve(v);
        qp.dispose();
      };
      qp.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) finish({ kind: 'back' });
      });
      qp.onDidAccept(() => finish(qp.selectedItems[0]?.pick ?? qp.activeItems[0]?.pick));
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  },
};

function selectionText(): string {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return '';
  return editor.document.getText(editor.selection).trim().slice(0, MAX_DESCRIPTION);
}

export interface DecideDeps {
  connections: ConnectionService;
  /** The explorer's confirm-and-create path ("Create on server" goes through it). */
  explorer: ExplorerApi;
}

export interface DecideCreateArgs extends DecideOpenArgs {
  /** Skip the confirmation. */
  confirmed?: boolean;
  /** With `confirmed`: also create the dead-letter stream (the modal's "Create with dead-letter stream"). */
  deadLetter?: boolean;
}

const checkCreateArgs = object({
  description: optional(str(MAX_DESCRIPTION)),
  answers: optional(checkAnswers),
  environment: optional(oneOf('production', 'development')),
  confirmed: optional(bool),
  deadLetter: optional(bool),
});

export function registerDecide(context: vscode.ExtensionContext, deps: DecideDeps): DecideApi {
  const extensionUri = context.extensionUri;

  const server = (): ServerStatus => {
    const c = deps.connections.current;
    return c.state === 'connected' ? { connected: true, ...(c.profile?.name ? { name: c.profile.name } : {}) } : NOT_CONNECTED;
  };

  /**
   * Creates what the decision suggests through the explorer (modal naming each object with
   * its natscli equivalent; AdminError message and hint on failure). Never throws: the
   * panel shows the result, the command shows failures.
   */
  async function createFrom(state: DecideViewState, opts: { confirmed?: boolean; deadLetter?: boolean } = {}): Promise<DecideCreateResult> {
    const fail = (message: string): DecideCreateResult => ({ ok: false, cancelled: false, created: [], message });
    if (!server().connected) return fail('Not connected: connect to a NATS server first (NATS: Connect).');
    if (!('kind' in state.decision.config)) return fail('Undecided: answer a test first; there is nothing to create yet.');
    try {
      const plan = creationPlan(state.decision, await collisions(state));
      if (!plan) return fail('Undecided: answer a test first; there is nothing to create yet.');
      const notes = [...plan.notes];
      const replicas = Math.max(...[...plan.items, ...plan.optional].map((i) => Number(i.config.num_replicas ?? i.config.replicas ?? 1)));
      if (replicas > 1 && !(await deps.explorer.admin()).clustered) {
        notes.push(`This server is not clustered, so it will refuse ${replicas} replicas: switch the environment to development (R1) in the panel for a development server.`);
      }
      const r = await deps.explorer.createMany(plan.items, { confirmed: opts.confirmed, optional: plan.optional, optionalAction: DEAD_LETTER_ACTION, includeOptional: opts.deadLetter, notes });
      if (!r.confirmed) return { ok: false, cancelled: true, created: [], message: 'Nothing created.' };
      return { ok: true, cancelled: false, created: r.created, message: `Created ${r.created.join(', ')}.` };
    } catch (err) {
      const message = describeError(err);
      deps.explorer.lastError = message;
      log().error(`decide create: ${message}`);
      return fail(message);
    }
  }

  /**
   * The suggestion against the connected server's streams, buckets and consumers: free names
   * or reuse, said in the confirmation before anything is created.
   */
  async function collisions(state: DecideViewState): Promise<CollisionCheck> {
    const nats = await import('../../nats/index');
    const admin = await deps.explorer.admin();
    const existing = await nats.existingObjects(admin);
    let check = checkCollisions(state.decision.config, existing);
    const c = check.config;
    if ('kind' in c && c.kind === 'stream') {
      // consumers only matter on the stream the plan now targets
      existing.consumers[c.stream.name] = await nats.consumerNames(admin, c.stream.name);
      check = checkCollisions(state.decision.config, existing);
    }
    if (check.notes.length) log().info(`decide create: ${check.notes.join(' ')}`);
    return check;
  }

  const panelDeps: DecidePanelDeps = { server, create: (state) => createFrom(state), checkServer: async (state) => (await collisions(state)).notes };
  const show = (state: DecideViewState) => DecidePanel.show(extensionUri, state, panelDeps);
  context.subscriptions.push(deps.connections.onDidChange(() => DecidePanel.instance?.serverChanged()));
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(DECIDE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, saved) => void DecidePanel.restore(panel, extensionUri, saved, panelDeps),
    }),
  );

  registerCommand(context, Commands.decideCreate, async (arg?: unknown): Promise<DecideCreateResult> => {
    let state = DecidePanel.instance?.viewState;
    const args: DecideCreateArgs = isPlainObject(arg) ? (checkCreateArgs(arg, 'arguments') as DecideCreateArgs) : {};
    if (args.description !== undefined || args.answers !== undefined || args.environment !== undefined || !state) {
      state = runDecision({ description: args.description ?? '', answers: args.answers ?? {}, environment: args.environment ?? DEFAULT_ENVIRONMENT }, server());
    }
    const r = await createFrom(state, { confirmed: args.confirmed, deadLetter: args.deadLetter });
    if (!r.ok && !r.cancelled) deps.explorer.ui.error(r.message);
    return r;
  });

  registerCommand(context, Commands.decideOpen, async (arg?: unknown): Promise<Decision | undefined> => {
    if (isScriptedArgs(arg)) {
      const args = checkOpenArgs(arg, 'arguments');
      const params = { description: args.description ?? '', answers: args.answers ?? {}, environment: args.environment ?? DEFAULT_ENVIRONMENT };
      // scripted runs ask the model too when the user opted in, the same as the interactive flow
      const suggest = params.description.trim() ? languageModelAdvisor() : undefined;
      const advice = suggest ? await suggest(params.description.trim()) : undefined;
      const languageModel = advice && { ...(advice.model ? { model: advice.model } : {}), suggested: advice.suggestions, notes: advice.notes };
      const decision = decide({ ...params, suggested: languageModel?.suggested });
      if (args.showPanel !== false) show(buildViewState(params, decision, server(), languageModel));
      return decision;
    }
    const suggest = languageModelAdvisor();
    const result = await runDecideFlow(suggest ? { ...quickInputIO, suggest } : quickInputIO, selectionText());
    if (!result) return undefined;
    const languageModel = suggest && { ...(result.lmModel ? { model: result.lmModel } : {}), suggested: result.suggested, notes: result.lmNotes };
    const state = runDecision({ description: result.description, answers: result.answers, environment: DEFAULT_ENVIRONMENT }, server(), languageModel);
    show(state);
    return state.decision;
  });

  let toolRegistered = false;
  if (typeof vscode.lm?.registerTool === 'function') {
    try {
      context.subscriptions.push(vscode.lm.registerTool(DECIDE_TOOL_NAME, new DecideTool()));
      toolRegistered = true;
    } catch (err) {
      log().warn(`language model tool ${DECIDE_TOOL_NAME} not registered: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else {
    log().info(`this VS Code has no vscode.lm.registerTool: the ${DECIDE_TOOL_NAME} tool is not available`);
  }

  context.subscriptions.push({ dispose: () => DecidePanel.instance?.dispose() });

  return {
    get panelState() {
      return DecidePanel.instance?.viewState;
    },
    get webviewReady() {
      return DecidePanel.instance?.host.isReady ?? false;
    },
    get lastRendered() {
      return DecidePanel.instance?.lastRendered;
    },
    get webviewErrors() {
      return DecidePanel.instance?.host.stats.webviewErrors ?? [];
    },
    get panelHandlers() {
      return DecidePanel.instance?.handlers;
    },
    get toolRegistered() {
      return toolRegistered;
    },
    get languageModelCalls() {
      return { ...lmCalls };
    },
    get modelLoadTimes() {
      return modelLoadTimes();
    },
    closePanel() {
      DecidePanel.instance?.dispose();
    },
  };
}
