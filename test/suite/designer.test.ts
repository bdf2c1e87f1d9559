/**
 * The flow designer in a real VS Code: the custom editor opens on the Overmind example and
 * its canvas draws it (the webview reports what it rendered), an edit goes through the same
 * host path the canvas uses (`design/edit` → one WorkspaceEdit), undo and save are VS Code's
 * own, a JSON edit of the text reaches the canvas, lint findings land in Problems on the
 * right line, and "apply" creates the planned streams and consumers on a real nats-server,
 * whose message rate the live overlay then shows on the path that publishes to it.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { fixesFor, formatDesign, loadDesign, planAndLint, planDesign, type FlowDesign } from '../../src/core/design';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import type { NatsFlowApi } from '../../src/vscode/extension';
import type { DesignerEditor } from '../../src/vscode/designer';
import { api, waitFor } from '../helpers/vscodeSuite';
import type { DesignLiveState } from '../../src/shared/designProtocol';
import { liveByPath } from '../../webview/designer/live';
import { analyseDesign } from '../../webview/designer/view-model';

const root = join(__dirname, '..', '..', '..');

suite('Flow designer (custom editor)', function () {
  this.timeout(240_000);
  let a: NatsFlowApi;
  let dir: string;
  let uri: vscode.Uri;
  let server: NatsServer | undefined;

  suiteSetup(async () => {
    a = await api();
    assert.ok(a.designer, 'the API exposes the designer');
    dir = mkdtempSync(join(tmpdir(), 'nf-designer-'));
    copyFileSync(join(root, 'examples', 'overmind.natsflow.json'), join(dir, 'overmind.natsflow.json'));
    uri = vscode.Uri.file(join(dir, 'overmind.natsflow.json'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await a?.connections.disconnect();
    await vscode.commands.executeCommand('natsFlow.connection.remove', 'user:designer', { confirmed: true }).then(undefined, () => undefined);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openDesigner(): Promise<DesignerEditor> {
    await vscode.commands.executeCommand('vscode.openWith', uri, 'natsFlow.designer');
    const editor = await waitFor('the designer of overmind.natsflow.json', () => a.designer!.editor(uri));
    await editor.whenRendered(editor.document.version, 60_000);
    return editor;
  }

  const designOf = (text: string): FlowDesign => {
    const l = loadDesign(text);
    assert.ok(l.ok, JSON.stringify(!l.ok && l.problems));
    return l.design;
  };

  test('opens the Overmind example on the canvas: every component and path drawn', async () => {
    const editor = await openDesigner();
    const d = designOf(editor.document.getText());
    assert.equal(editor.lastRendered?.nodes, d.components.length);
    assert.equal(editor.lastRendered?.edges, d.paths.reduce((n, p) => n + p.to.length, 0));
    assert.equal(editor.lastRendered?.problems, 0);
    assert.equal(editor.host.stats.webviewErrors.length, 0, editor.host.stats.webviewErrors.join('\n'));
  });

  test('a canvas edit is one WorkspaceEdit of one line; undo restores the text; save writes it', async () => {
    const editor = await openDesigner();
    const before = editor.document.getText();
    const d = designOf(before);
    d.components[0]!.position = { x: 777, y: 333 };
    const r = await editor.edit(d, 'move Bridge', editor.document.version);
    assert.equal(r.applied, true, r.message);
    const after = editor.document.getText();
    assert.ok(editor.document.isDirty);
    const changed = after.split('\n').filter((l, i) => l !== before.split('\n')[i]);
    assert.equal(changed.length, 1, `one changed line: ${changed.join(' | ')}`);
    assert.match(changed[0]!, /"x": 777, "y": 333/);
    await editor.whenRendered(editor.document.version);

    await vscode.commands.executeCommand('undo');
    await waitFor('undo restored the text', () => editor.document.getText() === before);
    await vscode.commands.executeCommand('redo');
    await waitFor('redo moved it again', () => editor.document.getText() === after);
    assert.ok(await editor.document.save());
    assert.equal(readFileSync(uri.fsPath, 'utf8'), after);
  });

  test('an edit the loader refuses is not written', async () => {
    const editor = await openDesigner();
    const before = editor.document.getText();
    const d = designOf(before);
    d.paths[0]!.to = ['no-such-component'];
    const r = await editor.edit(d, 'bad', editor.document.version);
    assert.equal(r.applied, false);
    assert.match(r.message ?? '', /no component has id "no-such-component"/);
    assert.equal(editor.document.getText(), before);
  });

  test('a JSON edit of the text reaches the canvas; findings land in Problems on their line', async () => {
    const editor = await openDesigner();
    const d = designOf(editor.document.getText());
    d.components.push({ id: 'auditor', kind: 'service', name: 'Auditor', position: { x: 900, y: 500 } });
    d.paths.push({ id: 'audit-trail', from: 'bridge', to: ['auditor'], description: 'audit trail', subject: 'audit', answers: { restart: 'no' } });
    const text = JSON.stringify(d, null, 2);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await editor.whenRendered(editor.document.version);
    assert.equal(editor.lastRendered?.nodes, d.components.length);
    const diags = await waitFor('the flat-subject finding in Problems', () => vscode.languages.getDiagnostics(uri).find((x) => x.code === 'subject-flat'));
    assert.equal(editor.document.getText(diags.range), '"audit"', 'the range is the subject value');
    await vscode.commands.executeCommand('undo');
  });

  test('a quick fix from Problems sets a stale primitive; Export writes the natscli files next to the design', async () => {
    const target = vscode.Uri.file(join(dir, 'stale.natsflow.json'));
    const d = designOf(readFileSync(uri.fsPath, 'utf8'));
    const p = d.paths.find((x) => !x.override)!;
    p.primitive = 'kv';
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(d, null, 2)));
    const doc = await vscode.workspace.openTextDocument(target);
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('the primitive-stale finding', () => vscode.languages.getDiagnostics(target).find((x) => x.code === 'primitive-stale'));
    assert.equal(doc.getText(diag.range), '"kv"');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', target, diag.range);
    const fix = actions.find((x) => x.title.startsWith('Set "primitive"'));
    assert.ok(fix?.edit, `a quick fix among ${actions.map((x) => x.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(designOf(doc.getText()).paths.find((x) => x.id === p.id)!.primitive, 'stream');
    await waitFor('the finding is gone', () => !vscode.languages.getDiagnostics(target).some((x) => x.code === 'primitive-stale'));
    await doc.save();

    const r = await vscode.commands.executeCommand<{ written: string[] }>('natsFlow.design.export', target, 'natscli');
    assert.ok(r.written.some((f) => f.endsWith('setup.sh')), r.written.join(', '));
    const setup = readFileSync(join(dir, 'stale.natscli', 'setup.sh'), 'utf8');
    assert.match(setup, /stream add routing-decisions --config/);
  });

  test('a finding with two fixes gets two code actions in the JSON, the same the canvas offers; either clears it', async () => {
    const target = vscode.Uri.file(join(dir, 'ackwait.natsflow.json'));
    const d = designOf(readFileSync(uri.fsPath, 'utf8'));
    d.environment = 'development';
    const p = d.paths.find((x) => x.processingTime && !x.inProgressAcks && d.components.find((c) => c.id === x.to[0])?.kind === 'workerPool')!;
    assert.ok(p, 'the example has a worker path with a processing time');
    const key = `${p.id}/${p.to[0]}`;
    d.overrides = { ...d.overrides, consumers: { ...(d.overrides?.consumers ?? {}), [key]: { ...(d.overrides?.consumers?.[key] ?? {}), ack_wait: '1s' } } };
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(d, null, 2)));
    const doc = await vscode.workspace.openTextDocument(target);
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('the ack-wait-short finding', () => vscode.languages.getDiagnostics(target).find((x) => x.code === 'ack-wait-short'));
    const expected = fixesFor(planAndLint(d).findings.find((f) => f.rule === 'ack-wait-short')!, d, planDesign(d)).map((f) => f.title);
    assert.equal(expected.length, 2);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', target, diag.range);
    assert.deepEqual(actions.map((a) => a.title).filter((t) => expected.includes(t)), expected, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    const inProgress = actions.find((a) => a.title === expected[0])!;
    assert.ok(await vscode.workspace.applyEdit(inProgress.edit!));
    assert.equal(designOf(doc.getText()).paths.find((x) => x.id === p.id)!.inProgressAcks, true);
    await waitFor('the finding is gone', () => !vscode.languages.getDiagnostics(target).some((x) => x.code === 'ack-wait-short'));
    await vscode.commands.executeCommand('undo');
    await waitFor('undo brings the finding back', () => vscode.languages.getDiagnostics(target).some((x) => x.code === 'ack-wait-short'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('New Flow Design writes the template and opens it on the canvas; Open as JSON shows its text', async () => {
    const target = vscode.Uri.file(join(dir, 'fresh.natsflow.json'));
    const saved = a.designer!.ui;
    a.designer!.ui = { ...saved, saveUri: async () => target };
    try {
      const created = await vscode.commands.executeCommand<vscode.Uri>('natsFlow.design.new');
      assert.equal(created?.fsPath, target.fsPath);
    } finally {
      a.designer!.ui = saved;
    }
    const editor = await waitFor('the designer of the new design', () => a.designer!.editor(target));
    await editor.whenRendered(editor.document.version, 60_000);
    const d = designOf(readFileSync(target.fsPath, 'utf8'));
    assert.equal(d.name, 'fresh');
    assert.equal(editor.lastRendered?.nodes, d.components.length);
    assert.equal(editor.lastRendered?.findings, 0, 'the template lints clean');
    await vscode.commands.executeCommand('natsFlow.design.openJson', target);
    const text = await waitFor('the JSON text editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === target.fsPath));
    assert.equal(text.document.getText(), readFileSync(target.fsPath, 'utf8'));
  });

  test('apply creates the planned streams and consumers on a real server; a second apply changes nothing', async () => {
    server = await startNatsServer({ serverName: 'vscode-designer' });
    await vscode.commands.executeCommand('natsFlow.connection.add', { name: 'designer', servers: server.url });
    await waitFor('connected', () => a.connections.current.state === 'connected');
    const editor = await openDesigner();
    const asked: string[] = [];
    const saved = a.explorer!.ui;
    a.explorer!.ui = { ...saved, confirm: async (message) => (asked.push(message), true) };
    try {
      // the example asks for R3 and up to 5GB (seed 002); this single test server takes R1 and 10MB
      const d = designOf(editor.document.getText());
      d.environment = 'development';
      for (const o of Object.values(d.overrides?.streams ?? {})) {
        delete o.num_replicas;
        o.max_bytes = '10MB';
      }
      assert.ok((await editor.edit(d, 'development', editor.document.version)).applied);
      const preview = await editor.document; // the document the designer applies
      const r = await a.designer!.server.apply(preview, false);
      assert.equal(r.ok, true, `${r.message}: ${JSON.stringify(r.steps)}`);
      assert.equal(asked.length, 1);
      assert.match(asked[0]!, /create stream routing-decisions/);
      const plan = planDesign(d);
      const nc = await connect({ servers: server.url });
      try {
        const jsm = await jetstreamManager(nc);
        const names: string[] = [];
        for await (const s of jsm.streams.list()) names.push(s.config.name);
        assert.deepEqual(names.sort(), plan.streams.map((s) => s.config.name).sort());
        for (const c of plan.consumers) assert.equal((await jsm.consumers.info(c.stream, c.config.durable_name)).config.ack_policy, 'explicit');
      } finally {
        await nc.close();
      }
      const again = await a.designer!.server.apply(preview, false);
      assert.match(again.message, /Nothing to change/);
      assert.equal(asked.length, 1, 'no confirmation when nothing changes');
      // the live overlay reads the same objects: every planned stream and consumer exists
      const live = await a.designer!.server.live(preview);
      assert.ok(live);
      assert.deepEqual(live.streams.filter((s) => !s.exists), []);
      assert.deepEqual(live.consumers.filter((c) => !c.exists), []);
      assert.equal(live.streams.length, plan.streams.length);
      // the explorer shows them after the apply refreshed it
      const root = await a.tree.getChildren();
      const profile = root.find((n) => n.kind === 'profile' && n.profileId === 'user:designer');
      assert.ok(profile, 'the designer connection is in the explorer');
      const streamsNode = (await a.tree.getChildren(profile)).find((n) => n.kind === 'streams');
      assert.ok(streamsNode);
      const shown = (await a.tree.getChildren(streamsNode)).filter((n) => n.kind === 'stream').map((n) => (n as { stream: { name: string } }).stream.name);
      assert.deepEqual(shown.sort(), plan.streams.map((s) => s.config.name).sort());
      // import from the connected server: a design with the same streams, opened on the canvas
      const imported = vscode.Uri.file(join(dir, 'imported.natsflow.json'));
      const savedUi = a.designer!.ui;
      a.designer!.ui = { ...savedUi, saveUri: async () => imported };
      try {
        const res = await vscode.commands.executeCommand<{ opened: string; message: string }>('natsFlow.design.import', 'server');
        assert.match(res.message, /Imported \d+ components and \d+ paths/);
      } finally {
        a.designer!.ui = savedUi;
      }
      const back = designOf(readFileSync(imported.fsPath, 'utf8'));
      assert.deepEqual(planDesign(back).streams.map((s) => s.config.name).sort(), plan.streams.map((s) => s.config.name).sort());
      await waitFor('the imported design on the canvas', () => a.designer!.editor(imported));
    } finally {
      a.explorer!.ui = saved;
      await vscode.commands.executeCommand('undo');
    }
  });

  test('the live overlay shows the message rate a publisher really sends on its path (20 msg/s to the real server)', async () => {
    assert.ok(server && a.connections.current.state === 'connected', 'the apply test left the server connected with the streams created');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    a.designer!.liveIntervalMs = 1_000;
    const editor = await openDesigner();
    const d = designOf(editor.document.getText());
    const path = d.paths.find((p) => p.id === 'memory-events')!;
    // what the host sends the canvas (passed on unchanged)
    const samples: DesignLiveState[] = [];
    const notify = editor.host.notify.bind(editor.host);
    editor.host.notify = ((method, params, options) => {
      if (method === 'design/live') samples.push(params as DesignLiveState);
      notify(method, params, options);
    }) as typeof editor.host.notify;
    const nc = await connect({ servers: server.url });
    const sentAt: number[] = [];
    const timer = setInterval(() => {
      nc.publish('memory.consolidated', JSON.stringify({ n: sentAt.length }));
      sentAt.push(Date.now());
    }, 50);
    try {
      await waitFor('six overlay updates while publishing', () => samples.length >= 6 || undefined, 60_000);
    } finally {
      clearInterval(timer);
      await nc.drain();
      a.designer!.liveIntervalMs = 5_000;
    }
    const analysis = analyseDesign(d);
    const stream = analysis.plan.streams.find((s) => s.role === 'context' && s.paths.includes(path.id))!.config.name;
    const shown: number[] = [];
    const sent: number[] = [];
    // from the third update on, each one's rate covers a window wholly inside the publishing
    for (let i = 2; i < samples.length; i++) {
      const [t0, t1] = [Date.parse(samples[i - 1]!.at), Date.parse(samples[i]!.at)];
      const text = liveByPath(analysis, samples[i]!).get(path.id)?.text ?? '';
      const m = / · ([\d.]+)\/s/.exec(text);
      assert.ok(m, `the path shows a rate: "${text}"`);
      const rate = samples[i]!.streams.find((s) => s.name === stream)!.rate;
      assert.ok(Math.abs(Number(m[1]) - rate) <= 0.5, `the path shows its stream’s rate (${m[1]} for ${rate})`);
      shown.push(Number(m[1]));
      sent.push(sentAt.filter((t) => t > t0 && t <= t1).length / ((t1 - t0) / 1000));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    console.log(`live overlay rates shown ${shown.join(', ')} /s; published ${sent.map((x) => x.toFixed(1)).join(', ')} /s`);
    assert.ok(median(sent) > 8, `the test published at a useful rate (${median(sent).toFixed(1)}/s)`);
    assert.ok(Math.abs(median(shown) - median(sent)) <= Math.max(3, 0.25 * median(sent)), `shown ${median(shown)}/s vs published ${median(sent).toFixed(1)}/s`);
    const tail = liveByPath(analysis, samples.at(-1)!).get(path.id)!.text;
    assert.match(tail, /^\d+ msgs · /, `message count first: "${tail}"`);
  });

  test('apply of an R3 design on a single server offers the cap first, naming every stream; declined: nothing changes; accepted: R1 and the capped streams named', async () => {
    assert.ok(server, 'runs after the apply test, on its server');
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
    const asked: { message: string; detail: string }[] = [];
    let answer = false;
    const saved = a.explorer!.ui;
    a.explorer!.ui = { ...saved, confirm: async (message, detail) => (asked.push({ message, detail: detail ?? '' }), answer) };
    try {
      // production R3 as written; only the sizes shrink to fit this test server (a file of its own: no canvas needed)
      const d = designOf(readFileSync(join(root, 'examples', 'overmind.natsflow.json'), 'utf8'));
      for (const o of Object.values(d.overrides?.streams ?? {})) o.max_bytes = '10MB';
      const file = join(dir, 'r3.natsflow.json');
      writeFileSync(file, formatDesign(d));
      const document = await vscode.workspace.openTextDocument(file);
      const plan = planDesign(d);
      const preview = await a.designer!.server.preview(document, false);
      assert.equal(preview.replicas?.max, 1);
      assert.equal(preview.replicas?.most, 3, 'the Apply tab offers caps below 3');
      assert.deepEqual(preview.replicas?.over.map((o) => o.object).sort(), plan.streams.map((s) => `stream ${s.config.name}`).sort());
      const declined = await a.designer!.server.apply(document, false);
      assert.equal(declined.cancelled, true);
      assert.match(asked[0]!.message, /holds at most 1 replica; 4 objects ask for more\. Cap them at 1\?/);
      for (const s of plan.streams) assert.ok(asked[0]!.detail.includes(`stream ${s.config.name}: 3 replicas`), asked[0]!.detail);
      let n = 0;
      for await (const _ of jsm.streams.names()) n++;
      assert.equal(n, 0, 'declined: nothing created');
      answer = true;
      const r = await a.designer!.server.apply(document, false);
      assert.equal(r.ok, true, `${r.message}: ${JSON.stringify(r.steps)}`);
      assert.match(asked[2]!.detail, /Replicas capped at 1: stream routing-decisions 3 → 1/);
      assert.match(r.message, /replicas capped at 1: stream routing-decisions, /);
      for (const s of plan.streams) assert.equal((await jsm.streams.info(s.config.name)).config.num_replicas, 1);
      // the preview with the cap (the Apply tab's checkbox) has nothing left to do and lists what it lowered
      const capped = await a.designer!.server.preview(document, false, 1);
      assert.deepEqual(capped.changes.filter((c) => c.action !== 'unchanged'), []);
      assert.equal(capped.replicas?.capped.length, 4);
      assert.equal(capped.replicas?.most, 3, 'capped objects still count at what they ask for');
    } finally {
      a.explorer!.ui = saved;
      await nc.close();
    }
  });
});
