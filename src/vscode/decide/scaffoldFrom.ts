/** The Decide panel's "Scaffold code": the scaffold command, fed the decision's suggested config. */
import * as vscode from 'vscode';
import type { KvSuggestion, StreamSuggestion } from '../../core/decide';
import type { DecideScaffoldResult, DecideViewState } from '../../shared/protocol';
import { Commands } from '../commands';
import type { ScaffoldRequest, ScaffoldResult } from '../scaffold';

export async function scaffoldFrom(state: DecideViewState): Promise<DecideScaffoldResult> {
  const c = state.decision.config;
  if (!('kind' in c)) return { done: false, message: 'Undecided: answer a test first; there is no configuration to scaffold from yet.' };
  const req: ScaffoldRequest = { suggestion: c as KvSuggestion | StreamSuggestion, ...(c.kind === 'kv' ? { pattern: 'kv-watcher' as const } : {}) };
  const r = await vscode.commands.executeCommand<ScaffoldResult | undefined>(Commands.scaffoldCreate, req);
  if (!r || r.cancelled) return { done: false, message: 'Scaffolding cancelled: nothing was written.' };
  if (r.untitled.length) return { done: true, message: `Opened the ${r.spec.pattern} code (${r.spec.lang}) in ${r.untitled.length} untitled editors.` };
  return { done: true, message: `Wrote ${r.written.length} files for the ${r.spec.pattern} (${r.spec.lang}) to ${r.written[0]?.split('/')[0] ?? 'the workspace'}.` };
}
