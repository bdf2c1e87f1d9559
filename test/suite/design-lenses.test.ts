/**
 * Code lenses in a `*.natsflow.json` text editor (the Overmind example): Plan, Apply and Open in
 * designer at the top, Scaffold over each path with its planned names, each wired to a command
 * that runs.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { loadDesign, planDesign } from '../../src/core/design';
import type { NatsFlowApi } from '../../src/vscode/extension';
import type { ScaffoldResult } from '../../src/vscode/scaffold/scaffoldCommands';
import { api, waitFor } from '../helpers/vscodeSuite';

const root = join(__dirname, '..', '..', '..');

suite('Code lenses in flow design files', function () {
  this.timeout(120_000);
  let a: NatsFlowApi;
  let dir: string;
  let uri: vscode.Uri;

  suiteSetup(async () => {
    a = await api();
    dir = mkdtempSync(join(tmpdir(), 'nf-design-lenses-'));
    copyFileSync(join(root, 'examples', 'overmind.natsflow.json'), join(dir, 'overmind.natsflow.json'));
    uri = vscode.Uri.file(join(dir, 'overmind.natsflow.json'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  test('Plan, Apply, Open in designer over the design; Scaffold over each path with the planned consumer', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const lenses = await waitFor('design lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return l?.length ? l : undefined;
    });
    const text = doc.getText();
    const loaded = loadDesign(text);
    assert.ok(loaded.ok);
    const design = loaded.design;
    const plan = planDesign(design);
    const top = lenses.filter((l) => l.range.start.line === doc.positionAt(text.indexOf('{')).line);
    assert.deepEqual(top.map((l) => [l.command?.title, l.command?.command]), [
      ['Plan', 'natsFlow.design.plan'],
      ['Apply', 'natsFlow.design.apply'],
      ['Open in designer', 'natsFlow.design.openDesigner'],
    ]);
    for (const l of top) assert.equal((l.command!.arguments![0] as vscode.Uri).toString(), uri.toString());
    const scaffolds = lenses.filter((l) => l.command?.title === 'Scaffold');
    assert.equal(scaffolds.length, design.paths.length);
    design.paths.forEach((p, i) => {
      const lens = scaffolds[i]!;
      // the lens sits on the line of the path object, the one holding (or just above) its "id"
      const idLine = doc.positionAt(text.indexOf(`"id": "${p.id}"`)).line;
      assert.ok(lens.range.start.line === idLine || lens.range.start.line === idLine - 1, `${p.id}: lens on line ${lens.range.start.line}, id on ${idLine}`);
      assert.equal(lens.command!.command, 'natsFlow.scaffold.create');
      const c = plan.consumers.find((x) => x.path === p.id);
      if (c) assert.deepEqual(lens.command!.arguments![0], { pattern: c.role, stream: c.stream, consumer: c.config.durable_name, subject: p.subject }, p.id);
    });

    // the commands run with what the lenses give them
    const planDoc = await vscode.commands.executeCommand<vscode.TextDocument>(top[0]!.command!.command, ...top[0]!.command!.arguments!);
    assert.match(planDoc.getText(), new RegExp(`^Plan for ${design.name}`));
    for (const s of plan.streams) assert.ok(planDoc.getText().includes(`stream ${s.config.name}`), s.config.name);
    const worker = scaffolds.find((l) => (l.command!.arguments![0] as { pattern?: string }).pattern === 'worker')!;
    const req = worker.command!.arguments![0] as { consumer: string; stream: string };
    const r = await vscode.commands.executeCommand<ScaffoldResult>('natsFlow.scaffold.create', { ...req, lang: 'ts', target: 'untitled' });
    assert.deepEqual([r?.spec.pattern, r?.spec.stream.name, r?.spec.consumer.durable_name], ['worker', req.stream, req.consumer]);
    assert.equal(r?.untitled.length, 2);
    await vscode.commands.executeCommand(top[2]!.command!.command, ...top[2]!.command!.arguments!);
    await waitFor('the designer', () => a.designer?.editor(uri));
  });

  test('no lenses while the file is not a valid design', async () => {
    const bad = vscode.Uri.file(join(dir, 'broken.natsflow.json'));
    await vscode.workspace.fs.writeFile(bad, new TextEncoder().encode(readFileSync(join(root, 'examples', 'overmind.natsflow.json'), 'utf8').slice(0, 200)));
    await vscode.workspace.openTextDocument(bad);
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', bad, 100);
    assert.deepEqual(l?.filter((x) => x.command?.command.startsWith('natsFlow.design') || x.command?.command === 'natsFlow.scaffold.create'), []);
  });
});
