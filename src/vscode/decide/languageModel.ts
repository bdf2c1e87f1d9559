/**
 * The opt-in language-model second opinion for Decide: when the user turned on
 * `natsFlow.decide.languageModel.enabled` and VS Code offers a chat model (`vscode.lm`), one
 * request with the seed's tests (core/decide/lmPrompt.ts) and the description, read strictly.
 * With the setting off nothing here touches `vscode.lm`: `languageModelAdvisor()` returns
 * undefined and the flow never asks. Every failure (no model, error, timeout, cancel, bad
 * output) becomes a one-line note and the offline classifier answers.
 */
import * as vscode from 'vscode';
import { lmInstructions, lmUserMessage, parseLmReply } from '../../core/decide';
import { log } from '../log';
import type { LmAdvice } from './flowSteps';

export const LM_SECTION = 'natsFlow.decide.languageModel';

export interface LmSettings {
  enabled: boolean;
  /** `vscode.lm.selectChatModels` selector parts; '' = any. */
  vendor: string;
  family: string;
  timeoutSeconds: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 20;

export function lmSettings(): LmSettings {
  const c = vscode.workspace.getConfiguration(LM_SECTION);
  const timeout = c.get<number>('timeoutSeconds', DEFAULT_TIMEOUT_SECONDS);
  return {
    // `inspect` so only the user's own (global) setting turns sending on, never a workspace's
    enabled: c.inspect<boolean>('enabled')?.globalValue === true,
    vendor: (c.get<string>('vendor', '') ?? '').trim(),
    family: (c.get<string>('family', '') ?? '').trim(),
    timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? Math.min(timeout, 300) : DEFAULT_TIMEOUT_SECONDS,
  };
}

/** How often this extension called `vscode.lm` (tests prove the setting-off path makes none). */
export const lmCalls = { selectChatModels: 0, sendRequest: 0 };

const FALLBACK = 'the offline classifier answered';

class Timeout extends Error {}

/** Resolves `p`, or rejects with Timeout after `ms` / when `token` is cancelled (then `onStop`). */
function within<T>(p: Thenable<T>, ms: number, token: vscode.CancellationToken): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Timeout()), ms);
    const sub = token.onCancellationRequested(() => reject(new vscode.CancellationError()));
    Promise.resolve(p).then(
      (v) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        sub.dispose();
        reject(e);
      },
    );
  });
}

/**
 * Asks the chosen chat model for the four answers of `description`. Never rejects: problems
 * are notes. The whole exchange (choosing the model, the request, reading the reply) shares
 * one deadline, and cancelling `token` stops it at once.
 */
export async function askLanguageModel(description: string, settings: LmSettings, token: vscode.CancellationToken): Promise<LmAdvice> {
  const none = (note: string): LmAdvice => ({ suggestions: {}, notes: [note] });
  if (typeof vscode.lm?.selectChatModels !== 'function') return none(`This VS Code offers no chat models (vscode.lm): ${FALLBACK}.`);
  const deadline = Date.now() + settings.timeoutSeconds * 1000;
  const left = () => Math.max(0, deadline - Date.now());
  const request = new vscode.CancellationTokenSource();
  const stop = token.onCancellationRequested(() => request.cancel());
  let modelName: string | undefined;
  try {
    const selector: vscode.LanguageModelChatSelector = {
      ...(settings.vendor ? { vendor: settings.vendor } : {}),
      ...(settings.family ? { family: settings.family } : {}),
    };
    lmCalls.selectChatModels++;
    const models = await within(vscode.lm.selectChatModels(selector), left(), token);
    const model = models[0];
    if (!model) {
      const which = settings.vendor || settings.family ? ` matching ${JSON.stringify(selector)}` : '';
      return none(`No chat model${which} is available in VS Code: ${FALLBACK}.`);
    }
    modelName = model.name || model.id;
    const messages = [vscode.LanguageModelChatMessage.User(lmInstructions()), vscode.LanguageModelChatMessage.User(lmUserMessage(description))];
    lmCalls.sendRequest++;
    const reply = await within(
      model.sendRequest(messages, { justification: 'NATS Flow sends the Decide description to get the four test answers (you enabled natsFlow.decide.languageModel.enabled).' }, request.token),
      left(),
      token,
    );
    const read = async () => {
      let text = '';
      for await (const part of reply.text) {
        text += part;
        if (text.length > 20_000) break; // a runaway reply is not an answer
      }
      return text;
    };
    const text = await within(read(), left(), token);
    const parsed = parseLmReply(text);
    const notes = parsed.notes.length ? [...parsed.notes.map((n) => `${n.replace(/\.$/, '')}; the offline classifier answers it.`)] : [];
    if (parsed.notes.length) log().warn(`decide: ${modelName}: ${parsed.notes.join(' ')}`);
    return { suggestions: parsed.suggestions, notes: notes.slice(0, 10), model: modelName };
  } catch (err) {
    request.cancel();
    const who = modelName ? `The language model (${modelName})` : 'The language model';
    const note =
      err instanceof Timeout
        ? `${who} did not answer within ${settings.timeoutSeconds} s: ${FALLBACK}.`
        : err instanceof vscode.CancellationError
          ? `Asking the language model was cancelled: ${FALLBACK}.`
          : `${who} failed (${(err instanceof Error ? err.message : String(err)).slice(0, 200)}): ${FALLBACK}.`;
    log().warn(`decide: ${note}`);
    return { suggestions: {}, notes: [note], ...(modelName ? { model: modelName } : {}) };
  } finally {
    stop.dispose();
    request.dispose();
  }
}

/**
 * The flow's `suggest` step, or undefined when the user has not opted in (then nothing is
 * ever sent). Shows a cancellable progress notification while the model is asked.
 */
export function languageModelAdvisor(): ((description: string) => Promise<LmAdvice>) | undefined {
  const settings = lmSettings();
  if (!settings.enabled) return undefined;
  return (description) =>
    Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Decide: asking the language model for the four answers…', cancellable: true },
        (_progress, token) => askLanguageModel(description, settings, token),
      ),
    );
}
