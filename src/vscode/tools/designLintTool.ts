/**
 * The "lint a design" language model tool: runs the design linter (src/core/design) over a
 * `*.natsflow.json` in the workspace, or over design text. Read-only; it never connects.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { lintDesignText } from '../../core/design';
import { object, optional, str } from '../../shared/validate';

export const DESIGN_LINT_TOOL = 'nats-flow_lintDesign';

export interface DesignLintInput {
  path?: string;
  text?: string;
}

const check = object({ path: optional(str(4096)), text: optional(str()) });

function validate(raw: unknown): DesignLintInput {
  const input = check(raw ?? {}, 'input');
  if (!input.path && input.text === undefined) throw new Error('input: give "path" (a *.natsflow.json file in the workspace) or "text" (the design JSON)');
  if (input.path && !input.path.endsWith('.natsflow.json')) throw new Error(`input.path: ${input.path} is not a design file (*.natsflow.json)`);
  return input;
}

/** The file the input names, inside a workspace folder (absolute or relative to one). */
export function resolveDesignPath(p: string): vscode.Uri {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) throw new Error(`Cannot read ${p}: no workspace folder is open`);
  const candidates = path.isAbsolute(p) ? [vscode.Uri.file(p)] : folders.map((f) => vscode.Uri.joinPath(f.uri, p));
  const inside = candidates.find((u) => folders.some((f) => (u.fsPath + path.sep).startsWith(f.uri.fsPath + path.sep) || u.fsPath === f.uri.fsPath));
  if (!inside) throw new Error(`${p} is outside the workspace`);
  return inside;
}

async function readDesign(input: DesignLintInput): Promise<{ file: string; text: string }> {
  if (!input.path) return { file: 'design', text: input.text ?? '' };
  const uri = resolveDesignPath(input.path);
  const file = vscode.workspace.asRelativePath(uri);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { file, text: open.getText() }; // unsaved edits count
  try {
    return { file, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch {
    throw new Error(`Design file ${file} does not exist`);
  }
}

export class DesignLintTool implements vscode.LanguageModelTool<DesignLintInput> {
  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<DesignLintInput>): vscode.PreparedToolInvocation {
    const input = validate(options.input);
    const what = input.path ? `Lint the design ${input.path}` : 'Lint the given design';
    return { invocationMessage: what, confirmationMessages: { title: `NATS: ${what}`, message: new vscode.MarkdownString(`${what} (read-only, no server needed).`) } };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<DesignLintInput>): Promise<vscode.LanguageModelToolResult> {
    const { file, text } = await readDesign(validate(options.input));
    const r = lintDesignText(file, text);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(r.summary), new vscode.LanguageModelTextPart(JSON.stringify(r.report))]);
  }
}
