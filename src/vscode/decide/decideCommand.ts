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
import type { DecideViewState } from '../../shared/protocol';
import { bool, isPlainObject, object, oneOf, optional, str } from '../../shared/validate';
import { Commands } from '../commands';
import { log } from '../log';
import { registerCommand } from '../registerCommand';
import { DecidePanel, runDecision } from './decidePanel';
import { DECIDE_TOOL_NAME, DecideTool } from './decideTool';
import { runDecideFlow, type FlowIO, type FlowPick, type FlowStep } from './flowSteps';
import { buildViewState } from './viewState';

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
          description: it.description ? `$(sparkle) ${it.description}` : undefined,
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

export function registerDecide(context: vscode.ExtensionContext): DecideApi {
  const extensionUri = context.extensionUri;

  const show = (state: DecideViewState) => DecidePanel.show(extensionUri, state);

  registerCommand(context, Commands.decideOpen, async (arg?: unknown): Promise<Decision | undefined> => {
    if (isScriptedArgs(arg)) {
      const args = checkOpenArgs(arg, 'arguments');
      const params = { description: args.description ?? '', answers: args.answers ?? {}, environment: args.environment ?? DEFAULT_ENVIRONMENT };
      const decision = decide(params);
      if (args.showPanel !== false) show(buildViewState(params, decision));
      return decision;
    }
    const result = await runDecideFlow(quickInputIO, selectionText());
    if (!result) return undefined;
    const state = runDecision({ description: result.description, answers: result.answers, environment: DEFAULT_ENVIRONMENT });
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
    closePanel() {
      DecidePanel.instance?.dispose();
    },
  };
}
