/**
 * Code lenses, diagnostics and quick fixes in a real VS Code against a real nats-server, on the
 * fixture files of the three languages (copied to a temp folder so quick fixes edit copies).
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { natsCliOn, startNatsServer, type NatsServer } from '../helpers/natsServer';
import type { NatsFlowApi } from '../../src/vscode/extension';
import type { ExplorerApi } from '../../src/vscode/explorer';
import { api, waitFor } from '../helpers/vscodeSuite';

const run = (id: string, ...args: unknown[]) => vscode.commands.executeCommand<any>(id, ...args);

suite('Code lenses and diagnostics over NATS calls', function () {
  this.timeout(240_000);
  let server: NatsServer;
  let a: NatsFlowApi;
  let ex: ExplorerApi;
  let savedUi: ExplorerApi['ui'];
  let dir: string;
  const asked: string[] = [];
  const { cli, cliJson } = natsCliOn(() => server);

  const open = async (name: string) => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(dir, name)));
    await vscode.window.showTextDocument(doc);
    return doc;
  };
  const lensesOf = async (doc: vscode.TextDocument) => (await run('vscode.executeCodeLensProvider', doc.uri)) as vscode.CodeLens[];
  const titlesOnLine = (lenses: vscode.CodeLens[], line: number) => lenses.filter((l) => l.range.start.line === line - 1).map((l) => l.command?.title);
  const diagnosticsOf = (doc: vscode.TextDocument, rule: string) => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === rule);

  suiteSetup(async () => {
    server = await startNatsServer({ serverName: 'vscode-lenses' });
    a = await api();
    assert.ok(a.lenses && a.explorer);
    ex = a.explorer;
    savedUi = ex.ui;
    ex.ui = { confirm: async (m) => (asked.push(m), true), info: () => undefined, error: () => undefined };
    await cli('stream', 'add', 'ORDERS', '--subjects', 'orders.>', '--storage', 'file', '--replicas', '1', '--defaults');
    await cli('pub', 'orders.created', 'x {{Count}}', '--count', '12');
    await cli('consumer', 'add', 'ORDERS', 'worker', '--pull', '--ack', 'explicit', '--deliver', 'all', '--defaults');
    await cli('kv', 'add', 'sessions', '--history', '5');
    await cli('kv', 'put', 'sessions', 'user.1', 'a');
    await cli('kv', 'put', 'sessions', 'user.2', 'b');
    dir = mkdtempSync(join(tmpdir(), 'nats-flow-lenses-'));
    // from the test bundle (out/test/suite), so the suite also runs against an installed .vsix
    cpSync(join(__dirname, '../../../test/fixtures/lenses'), dir, { recursive: true });
    await run('natsFlow.connection.add', { name: 'lenses', servers: server.url });
    assert.equal(a.connections.current.state, 'connected', JSON.stringify(a.connections.current.error));
    await a.lenses.cache.refreshNow();
    assert.ok(a.lenses.cache.current()?.streams.some((s) => s.name === 'ORDERS'));
  });

  suiteTeardown(async () => {
    if (ex && savedUi) ex.ui = savedUi;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await a?.connections.disconnect();
    await run('natsFlow.connection.remove', 'user:lenses', { confirmed: true });
    await server?.stop();
  });

  test('TypeScript: stream facts over a JetStream publish, Tail over subscribe and consumer, KV facts and Watch, Decide', async () => {
    const doc = await open('orders.ts');
    const lenses = await lensesOf(doc);
    // the TypeScript grammar was loaded by this first request (the activation suite checks none was before)
    assert.ok(a.lenses!.analysis.loadTimes().has('typescript'), 'TypeScript grammar loaded');
    console.log(`lenses: first load per language (ms) ${JSON.stringify(Object.fromEntries(a.lenses!.analysis.loadTimes()))}`);
    assert.deepEqual(titlesOnLine(lenses, 16), ['→ ORDERS · 12 msgs · 1 consumer', 'Decide KV or Stream']);
    assert.deepEqual(titlesOnLine(lenses, 18), ['no stream captures audit.>', 'Decide KV or Stream']);
    assert.deepEqual(titlesOnLine(lenses, 21), ['Tail orders.*']);
    // the consumer lookup is durable: its live counters come from the cached consumer list
    await a.lenses!.cache.refreshNow();
    const again = await lensesOf(doc);
    assert.deepEqual(titlesOnLine(again, 30), ['Tail ORDERS', '12 pending · 0 ack pending · 0 redelivered']);
    assert.deepEqual(titlesOnLine(again, 41), ['sessions: 2 keys · history 5', 'Watch']);
    const watch = again.find((l) => l.range.start.line === 43 && l.command?.title === 'Watch')!;
    assert.deepEqual(watch.command!.arguments, [{ source: 'kv', bucket: 'sessions', key: 'user.>' }]);
    const tail = again.find((l) => l.range.start.line === 20)!;
    assert.deepEqual(tail.command!.arguments, [{ source: 'subject', subject: 'orders.*' }]);
    // the lens opens the live tail on that subject
    assert.equal(tail.command!.command, 'natsFlow.tail.open', 'the lens calls the tail feature directly');
    const before = a.tail!.panels().length;
    await run(tail.command!.command, ...tail.command!.arguments!);
    const panels = a.tail!.panels();
    assert.equal(panels.length, before + 1);
    assert.deepEqual(panels[panels.length - 1].spec, { kind: 'subject', subject: 'orders.*' });
    panels[panels.length - 1].dispose();
    const decide = again.find((l) => l.range.start.line === 15 && l.command?.title === 'Decide KV or Stream')!;
    assert.equal(decide.command!.command, 'natsFlow.decide.open');
    assert.match(decide.command!.arguments![0].description, /^placeOrder: publish to orders\.created\. Records an order and tells the warehouse\. the order is a request to do something/);
    const decision = await run('natsFlow.decide.open', { ...decide.command!.arguments![0], showPanel: false });
    assert.equal(decision.primitive, 'stream', 'the pre-filled description is one the advisor can decide on');
  });

  test('Go and Python: the same lenses from the same cache', async () => {
    const go = await open('orders.go');
    const gl = await lensesOf(go);
    assert.deepEqual(titlesOnLine(gl, 21), ['→ ORDERS · 12 msgs · 1 consumer', 'Decide KV or Stream']);
    assert.deepEqual(titlesOnLine(gl, 24), ['Tail orders.*']);
    assert.deepEqual(titlesOnLine(gl, 31), ['Tail ORDERS', '12 pending · 0 ack pending · 0 redelivered']);
    assert.deepEqual(titlesOnLine(gl, 42), ['sessions: 2 keys · history 5', 'Watch']);
    const py = await open('orders.py');
    const pl = await lensesOf(py);
    assert.deepEqual(titlesOnLine(pl, 12), ['→ ORDERS · 12 msgs · 1 consumer', 'Decide KV or Stream']);
    assert.deepEqual(titlesOnLine(pl, 20), ['Tail ORDERS (orders.>)', '12 pending · 0 ack pending · 0 redelivered']);
    assert.deepEqual(titlesOnLine(pl, 28), ['sessions: 2 keys · history 5', 'Watch']);
  });

  test('diagnostics in the three languages, and a textual quick fix that removes its finding', async () => {
    for (const [file, line] of [['orders.ts', 33], ['orders.go', 36], ['orders.py', 24]] as const) {
      const doc = await open(file);
      await waitFor(`diagnostics of ${file}`, () => diagnosticsOf(doc, 'kv-watch-no-bootstrap').length === 1 && diagnosticsOf(doc, 'nak-no-delay').length === 1);
      const nak = diagnosticsOf(doc, 'nak-no-delay')[0];
      assert.equal(nak.range.start.line, line - 1, file);
      assert.equal(nak.severity, vscode.DiagnosticSeverity.Warning);
      const actions = (await run('vscode.executeCodeActionProvider', doc.uri, nak.range)) as vscode.CodeAction[];
      const fix = actions.find((x) => x.title.startsWith('Nak with a delay'));
      assert.ok(fix?.edit, `${file}: ${actions.map((x) => x.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(doc.lineAt(line - 1).text, /nak\(5_000\)|NakWithDelay\(5 \* time\.Second\)|nak\(delay=5\)/);
      await waitFor(`${file}: nak finding gone`, () => diagnosticsOf(doc, 'nak-no-delay').length === 0);
      await doc.save();
    }
  });

  test('editing a document does not read the server; a rule turned off in settings disappears', async () => {
    const doc = await open('orders.ts');
    const loads = a.lenses!.cache.loads;
    const incremental = a.lenses!.analysis.parses.incremental;
    const kept = a.lenses!.analysis.chunks.kept + a.lenses!.analysis.chunks.moved;
    for (let i = 0; i < 5; i++) {
      const e = new vscode.WorkspaceEdit();
      e.insert(doc.uri, new vscode.Position(0, 0), `// edit ${i}\n`);
      await vscode.workspace.applyEdit(e);
    }
    await lensesOf(doc);
    await waitFor('diagnostics after edits', () => diagnosticsOf(doc, 'publish-wildcard')[0]?.range.start.line === 22);
    assert.equal(a.lenses!.cache.loads, loads, 'no catalog load because of typing');
    assert.ok(a.lenses!.analysis.parses.incremental > incremental, 'the re-parse after the edits reused the kept tree');
    assert.ok(a.lenses!.analysis.chunks.kept + a.lenses!.analysis.chunks.moved > kept, 'the analysis after the edits took over the unchanged chunks');
    await vscode.workspace.getConfiguration('natsFlow.diagnostics').update('publish-wildcard', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('publish-wildcard turned off', () => diagnosticsOf(doc, 'publish-wildcard').length === 0 && diagnosticsOf(doc, 'kv-watch-no-bootstrap').length === 1);
    } finally {
      await vscode.workspace.getConfiguration('natsFlow.diagnostics').update('publish-wildcard', undefined, vscode.ConfigurationTarget.Global);
    }
    await run('workbench.action.revertAndCloseActiveEditor');
  });

  test('typing inside a Python function re-parses one top-level segment, and the findings follow', async () => {
    const doc = await open('orders.py');
    await lensesOf(doc);
    const segments = a.lenses!.analysis.parses.segment;
    const line = doc.lineAt(14);
    assert.match(line.text, /nc\.subscribe/);
    const e = new vscode.WorkspaceEdit();
    e.insert(doc.uri, line.range.end, '\n    await js.publish("orders.x.>", b"")');
    await vscode.workspace.applyEdit(e);
    await lensesOf(doc);
    await waitFor('publish-wildcard on the typed line', () => diagnosticsOf(doc, 'publish-wildcard').some((d) => d.range.start.line === 15));
    assert.ok(a.lenses!.analysis.parses.segment > segments, 'the edit re-parsed a segment, not the whole file');
    await run('workbench.action.revertAndCloseActiveEditor');
  });

  test('the KV watch quick fix inserts the scaffold\'s bootstrap check (Go, Python) and the finding goes', async () => {
    for (const [file, marker] of [['orders.go', 'if e == nil {'], ['orders.py', 'if e is None:']] as const) {
      const doc = await open(file);
      const d = await waitFor(`${file}: kv-watch-no-bootstrap`, () => diagnosticsOf(doc, 'kv-watch-no-bootstrap')[0]);
      const actions = (await run('vscode.executeCodeActionProvider', doc.uri, d.range)) as vscode.CodeAction[];
      const fix = actions.find((x) => x.title.startsWith('Tell bootstrap from live'));
      assert.ok(fix?.edit, `${file}: ${actions.map((x) => x.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.ok(doc.getText().includes(marker), doc.getText());
      await waitFor(`${file}: kv-watch finding gone`, () => diagnosticsOf(doc, 'kv-watch-no-bootstrap').length === 0);
      await doc.save();
    }
  });

  test('"Create a stream for it…" goes through the explorer confirm path; missing names offer Create…', async () => {
    writeFileSync(join(dir, 'pay.ts'), "const js = jetstream(nc);\nawait js.publish('payments.settled', '');\nconst c = await js.consumers.get('ORDERS', 'billing');\nconst kv = await new Kvm(nc).open('prices');\n");
    const doc = await open('pay.ts');
    const missing = await waitFor('js-publish-no-stream', () => diagnosticsOf(doc, 'js-publish-no-stream')[0]);
    const consumer = await waitFor('unknown-consumer', () => diagnosticsOf(doc, 'unknown-consumer')[0]);
    assert.equal(consumer.severity, vscode.DiagnosticSeverity.Information);
    const cActions = (await run('vscode.executeCodeActionProvider', doc.uri, consumer.range)) as vscode.CodeAction[];
    const createConsumer = cActions.find((x) => x.title === 'Create consumer "billing" on ORDERS…');
    assert.deepEqual(createConsumer?.command?.arguments, [{ stream: 'ORDERS', name: 'billing' }]);
    assert.equal(createConsumer?.command?.command, 'natsFlow.consumer.create');
    const bucket = diagnosticsOf(doc, 'unknown-bucket')[0];
    const bActions = (await run('vscode.executeCodeActionProvider', doc.uri, bucket.range)) as vscode.CodeAction[];
    assert.deepEqual(bActions.find((x) => x.title === 'Create KV bucket "prices"…')?.command?.arguments, [{ bucket: 'prices' }]);

    const actions = (await run('vscode.executeCodeActionProvider', doc.uri, missing.range)) as vscode.CodeAction[];
    const create = actions.find((x) => x.title === 'Create a stream for "payments.settled"…');
    assert.ok(create?.command, actions.map((x) => x.title).join(', '));
    asked.length = 0;
    await run(create.command.command, { ...create.command.arguments![0], name: 'PAYMENTS' });
    assert.deepEqual(asked, ['Create stream "PAYMENTS"?'], 'the explorer asked, naming the stream');
    const info = await cliJson<{ config: { subjects: string[] } }>('stream', 'info', 'PAYMENTS');
    assert.deepEqual(info.config.subjects, ['payments.>']);
    // the explorer's create refreshes the shared cache, and the finding goes
    await waitFor('js-publish-no-stream gone', () => diagnosticsOf(doc, 'js-publish-no-stream').length === 0, 10_000);
    const lenses = await lensesOf(doc);
    assert.deepEqual(titlesOnLine(lenses, 2), ['→ PAYMENTS · 0 msgs · 0 consumers', 'Decide KV or Stream']);
  });

  test('nothing was left on the server: only the consumers the suite made', async () => {
    const names = (await cli('consumer', 'ls', 'ORDERS', '--names')).trim().split('\n');
    assert.deepEqual(names, ['worker']);
  });
});
