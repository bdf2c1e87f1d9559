/**
 * Files the designer writes or reads: a new design from the template, exports to every format
 * the core offers (written next to the design, asking before overwriting), and designs
 * imported from the connected server or an AsyncAPI document (saved where the user says,
 * then opened on the canvas).
 */
import * as vscode from 'vscode';
import { join } from 'node:path';
import { formatDesign } from '../../core/design/format';
import { DESIGN_VERSION, type FlowDesign } from '../../core/design/model';
import { loadDesign } from '../../core/design/validate';
import type { ImportResult } from '../../core/design/fromServer';
import type { DesignExportFormat } from '../../shared/designProtocol';
import type { ExplorerApi } from '../explorer';
import { DESIGNER_VIEW_TYPE } from './designerEditor';

/** Dialogs, replaceable by tests. */
export interface DesignerUi {
  saveUri(title: string, defaultUri: vscode.Uri | undefined): Promise<vscode.Uri | undefined>;
  openUri(title: string, filters: Record<string, string[]>): Promise<vscode.Uri | undefined>;
}

/** dist/designerTools.js (see designerTools.ts), next to dist/extension.js. */
type Tools = typeof import('./designerTools');
let tools: Tools | undefined;
function loadTools(): Tools {
  // a plain require of the sibling bundle: esbuild leaves it alone, so the YAML code stays out of extension.js
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tools ??= require(join(__dirname, 'designerTools.js')) as Tools;
  return tools;
}

export const defaultDesignerUi: DesignerUi = {
  saveUri: (title, defaultUri) => Promise.resolve(vscode.window.showSaveDialog({ title, defaultUri, filters: { 'Flow design': ['natsflow.json'] } })),
  openUri: async (title, filters) => (await vscode.window.showOpenDialog({ title, canSelectMany: false, filters }))?.[0],
};

/** The template of "NATS: New Flow Design": one publisher, one worker pool, one path, ready to plan. */
export function templateDesign(name: string): FlowDesign {
  return {
    $schema: 'https://raw.githubusercontent.com/nats-flow/nats-flow/main/media/schemas/natsflow.json',
    version: DESIGN_VERSION,
    name,
    description: 'Components and the paths between them; each path is classified KV Watch or Stream (seed 000) and planned (seed 001).',
    environment: 'development',
    components: [
      { id: 'orders-api', kind: 'service', name: 'Orders API', position: { x: 0, y: 0 } },
      { id: 'fulfilment', kind: 'workerPool', name: 'Fulfilment workers', position: { x: 420, y: 0 } },
    ],
    paths: [
      {
        id: 'order-placed',
        from: 'orders-api',
        to: ['fulfilment'],
        description: 'A new order must be picked, packed and shipped exactly once by one worker; this takes minutes.',
        subject: 'orders.order.placed',
        answers: { restart: 'no', fanout: 'one', processing: 'slow', nature: 'request' },
        primitive: 'stream',
        processingTime: '2m',
        inProgressAcks: true,
      },
    ],
  };
}

export async function newDesign(ui: DesignerUi): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await ui.saveUri('New Flow Design', folder ? vscode.Uri.joinPath(folder, 'system.natsflow.json') : undefined);
  if (!target) return undefined;
  const name = (target.path.split('/').pop() ?? 'system').replace(/\.natsflow\.json$/, '').replace(/\.json$/, '') || 'system';
  const uri = target.path.endsWith('.natsflow.json') ? target : target.with({ path: target.path.replace(/(\.json)?$/, '.natsflow.json') });
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(formatDesign(templateDesign(name))));
  await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE);
  return uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export async function exportTo(document: vscode.TextDocument, format: DesignExportFormat, explorer: ExplorerApi): Promise<{ written: string[]; message: string }> {
  const loaded = loadDesign(document.getText());
  if (!loaded.ok) return { written: [], message: `Not exported: the design has ${loaded.problems.length} problem(s) (see Problems).` };
  const result = loadTools().exportDesign(format, loaded.design);
  const base = document.uri.with({ path: document.uri.path.replace(/\.natsflow\.json$/, '') + `.${format}` });
  const targets = result.files.map((f) => vscode.Uri.joinPath(base, f.path));
  const existing: vscode.Uri[] = [];
  for (const t of targets) if (await exists(t)) existing.push(t);
  if (existing.length && !(await explorer.ui.confirm(`Overwrite ${existing.length} file(s) in ${vscode.workspace.asRelativePath(base)}?`, existing.map((u) => vscode.workspace.asRelativePath(u)).join('\n'), 'Overwrite'))) {
    return { written: [], message: 'Not exported: nothing was overwritten.' };
  }
  for (const [i, f] of result.files.entries()) await vscode.workspace.fs.writeFile(targets[i]!, new TextEncoder().encode(f.content));
  const written = targets.map((u) => vscode.workspace.asRelativePath(u));
  return { written, message: `Exported ${format} to ${vscode.workspace.asRelativePath(base)} (${written.length} file(s))${result.notes.length ? `. Notes: ${result.notes.join('; ')}` : ''}` };
}

/** Saves an imported design where the user says and opens it on the canvas. */
export async function saveImported(result: ImportResult, ui: DesignerUi, near: vscode.Uri | undefined): Promise<{ opened: string; message: string }> {
  const dir = near ? vscode.Uri.joinPath(near, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await ui.saveUri('Save the imported design', dir ? vscode.Uri.joinPath(dir, `${result.design.name}.natsflow.json`) : undefined);
  if (!target) return { opened: '', message: 'Import cancelled.' };
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(formatDesign(result.design)));
  await vscode.commands.executeCommand('vscode.openWith', target, DESIGNER_VIEW_TYPE);
  const guessed = result.design.paths.filter((p) => p.guessed?.length).length;
  return { opened: vscode.workspace.asRelativePath(target), message: `Imported ${result.design.components.length} components and ${result.design.paths.length} paths (${guessed} with guessed parts, marked "guessed")${result.notes.length ? `. ${result.notes.join('; ')}` : ''}` };
}

export async function importFromAsyncApi(ui: DesignerUi, near: vscode.Uri | undefined): Promise<{ opened: string; message: string }> {
  const file = await ui.openUri('Import a design from an AsyncAPI document', { AsyncAPI: ['yaml', 'yml', 'json'] });
  if (!file) return { opened: '', message: 'Import cancelled.' };
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  return saveImported(loadTools().designFromAsyncApi(text), ui, near);
}

export async function importFromServer(explorer: ExplorerApi, ui: DesignerUi, near: vscode.Uri | undefined): Promise<{ opened: string; message: string }> {
  const result = await loadTools().importDesign(await explorer.admin(), { name: 'imported' });
  return saveImported(result, ui, near);
}
