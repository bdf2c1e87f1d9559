/**
 * Code lenses in `*.natsflow.json` text editors: "Plan", "Apply", "Open in designer" at the top
 * of the design and "Scaffold" over each path (opened with the path's planned consumer, bucket
 * or stream). Positions come from the JSON text itself (src/core/design designLensTargets).
 */
import * as vscode from 'vscode';
import { designLensTargets, formatPlanText, lintDesignText, loadDesign, planDesign } from '../../core/design';
import { Commands } from '../commands';

export const DESIGN_LENS_SELECTOR: vscode.DocumentSelector = { pattern: '**/*.natsflow.json' };

export class DesignCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const targets = designLensTargets(doc.getText());
    if (!targets) return [];
    const top = new vscode.Range(doc.positionAt(targets.design.offset), doc.positionAt(targets.design.offset));
    const out = [
      new vscode.CodeLens(top, { title: 'Plan', command: Commands.designPlan, arguments: [doc.uri], tooltip: 'The streams, consumers and buckets this design becomes' }),
      new vscode.CodeLens(top, { title: 'Apply', command: Commands.designApply, arguments: [doc.uri], tooltip: 'Apply the design to the connected server (asks first)' }),
      new vscode.CodeLens(top, { title: 'Open in designer', command: Commands.designOpenDesigner, arguments: [doc.uri] }),
    ];
    for (const p of targets.paths) {
      const at = doc.positionAt(p.offset);
      const s = p.scaffold;
      const what = s.consumer ? `consumer ${s.stream}/${s.consumer}` : s.bucket ? `KV bucket ${s.bucket}` : s.stream ? `stream ${s.stream}` : `subject ${s.subject}`;
      out.push(new vscode.CodeLens(new vscode.Range(at, at), { title: 'Scaffold', command: Commands.scaffoldCreate, arguments: [{ ...s }], tooltip: `Scaffold code for path ${p.id} (${what})` }));
    }
    return out;
  }
}

/** `natsFlow.design.plan`: the plan and lint findings of a design, in a read-only text document. */
export async function showDesignPlan(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const file = vscode.workspace.asRelativePath(uri);
  const loaded = loadDesign(doc.getText());
  const lint = lintDesignText(file, doc.getText());
  const content = loaded.ok ? `${formatPlanText(planDesign(loaded.design), { explain: true })}\n${lint.summary}\n` : `${lint.summary}\n`;
  const plan = await vscode.workspace.openTextDocument({ language: 'plaintext', content });
  await vscode.window.showTextDocument(plan, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  return plan;
}
