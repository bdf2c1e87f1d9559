/**
 * The `nats-flow_decide` language model tool (#natsDecide in chat): the same engine as the
 * command, for agents. The result is two text parts: a compact summary and the Decision as
 * JSON.
 */
import * as vscode from 'vscode';
import { DECISION_TESTS, decide, sidesText, type Decision, type Environment } from '../../core/decide';
import { TEST_ANSWERS, MAX_DESCRIPTION } from '../../shared/decideValidate';
import { object, oneOf, optional, str, type Check } from '../../shared/validate';

export const DECIDE_TOOL_NAME = 'nats-flow_decide';

export interface DecideToolInput {
  description?: string;
  restart?: 'yes' | 'no' | 'unsure';
  fanout?: 'all' | 'one' | 'unsure';
  processing?: 'fast' | 'slow' | 'unsure';
  nature?: 'fact' | 'request' | 'unsure';
  environment?: Environment;
}

export const checkToolInput: Check<DecideToolInput> = object({
  description: optional(str(MAX_DESCRIPTION)),
  restart: optional(oneOf(...TEST_ANSWERS.restart)),
  fanout: optional(oneOf(...TEST_ANSWERS.fanout)),
  processing: optional(oneOf(...TEST_ANSWERS.processing)),
  nature: optional(oneOf(...TEST_ANSWERS.nature)),
  environment: optional(oneOf('production', 'development')),
}) as Check<DecideToolInput>;

export function decideFromToolInput(raw: unknown): Decision {
  const input = checkToolInput(raw ?? {}, 'input');
  const { description, environment, ...answers } = input;
  if (!description && Object.keys(answers).length === 0) {
    throw new Error('Give a description of the communication path, or at least one test answer (restart, fanout, processing, nature).');
  }
  return decide({ description, answers, environment });
}

const verdictWord = (v: 'kv' | 'stream' | null) => (v === 'kv' ? 'KV' : v === 'stream' ? 'Stream' : 'no verdict');

/** The readable half of the tool result. */
export function toolSummary(d: Decision): string {
  const lines: string[] = [];
  const by = d.decidedBy ? DECISION_TESTS.find((t) => t.id === d.decidedBy) : undefined;
  lines.push(`Verdict: ${d.label}${by ? ` (decided by test ${by.order}, ${by.title})` : ' (no test gave a clear answer)'}`);
  for (const t of d.tests) {
    const source = t.source === 'none' ? 'unanswered' : t.source;
    // the same evidence the CLI table and the QuickPick show: the words that weighed most
    const evidence = t.source === 'inferred' && t.evidence.length ? `, from ${t.evidence.map((e) => `"${e}"`).join(', ')}` : '';
    lines.push(`- ${t.id}: ${t.source === 'none' ? '-' : t.answer} → ${verdictWord(t.verdict)} (${source}${evidence})`);
  }
  if (d.conflict) lines.push(`Conflict: the tests disagree (${sidesText(d.sides)}). ${d.advice ?? ''}`.trim());
  else lines.push('Conflict: none');
  lines.push(d.caseMatch ? `Nearest common case: ${d.caseMatch.communication} → ${d.caseMatch.label} (${d.caseMatch.reason})` : 'Nearest common case: none');
  return lines.join('\n');
}

export class DecideTool implements vscode.LanguageModelTool<DecideToolInput> {
  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<DecideToolInput>): vscode.PreparedToolInvocation {
    const d = options.input?.description?.trim();
    const shown = d ? (d.length > 60 ? `${d.slice(0, 59)}…` : d) : 'the given answers';
    return { invocationMessage: `Deciding KV Watch or JetStream Stream for "${shown}"` };
  }

  invoke(options: vscode.LanguageModelToolInvocationOptions<DecideToolInput>): vscode.LanguageModelToolResult {
    const decision = decideFromToolInput(options.input);
    return new vscode.LanguageModelToolResult([
      new vscode.LanguageModelTextPart(toolSummary(decision)),
      new vscode.LanguageModelTextPart(JSON.stringify(decision)),
    ]);
  }
}
