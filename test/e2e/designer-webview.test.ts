/**
 * The BUILT designer webview (dist/webview/designer.js + .css) in real Chromium under the
 * extension's HTML and CSP. The test plays the host the way src/vscode/designer/designerEditor.ts
 * does: it posts the document text, and answers each `design/edit` by checking the design
 * with the core loader, writing it in the canonical format and posting the new text back.
 *
 * Run after `node scripts/build.mjs`: node --import tsx --test test/e2e/designer-webview.test.ts
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { classifyPaths, formatDesign, loadDesign, planDesign, validateDesign, type FlowDesign } from '../../src/core/design';
import { PWN, PWN_SCRIPT, root, startWebviewHarness, type HarnessPage, type PageGlobals, type WebviewHarness } from './webviewHarness';

let harness: WebviewHarness;
let hp: HarnessPage;
let page: Page;

/** The document as the fake host holds it. */
const doc = { text: '', version: 0 };

async function open(text: string): Promise<void> {
  doc.text = text;
  doc.version++;
  await hp.post({ kind: 'notification', method: 'design/document', params: { text, version: doc.version, fileName: 'test.natsflow.json', external: true } });
  await waitRendered(doc.version);
}

async function waitRendered(version: number): Promise<{ nodes: number; edges: number; findings: number; problems: number }> {
  const handle = await page.waitForFunction(
    (v) => [...(globalThis as unknown as PageGlobals).__sent].reverse().find((m) => m.method === 'design/rendered' && (m.params as { version: number }).version >= v),
    version,
    { timeout: 20_000 },
  );
  return ((await handle.jsonValue()) as { params: { nodes: number; edges: number; findings: number; problems: number } }).params;
}

/** Answers the next `design/edit` as the host does, and returns the new design. */
async function answerEdit(): Promise<{ design: FlowDesign; label: string }> {
  const req = await hp.waitForRequest('design/edit');
  const params = req.params as { design: FlowDesign; label: string; baseVersion: number };
  assert.equal(params.baseVersion, doc.version, 'the edit was made on the current version');
  const checked = validateDesign(params.design);
  assert.ok(checked.design, `the canvas sent a valid design: ${JSON.stringify(checked.problems)}`);
  doc.text = formatDesign(checked.design);
  doc.version++;
  await hp.post({ kind: 'response', id: req.id, method: 'design/edit', ok: true, result: { applied: true, version: doc.version } });
  await hp.post({ kind: 'notification', method: 'design/document', params: { text: doc.text, version: doc.version, fileName: 'test.natsflow.json', external: false } });
  return { design: checked.design, label: params.label };
}

const overmind = () => readFileSync(join(root, 'examples', 'overmind.natsflow.json'), 'utf8');

function small(): FlowDesign {
  return {
    version: 1,
    name: 'shop',
    environment: 'production',
    components: [
      { id: 'api', kind: 'service', name: 'API', position: { x: 0, y: 0 } },
      { id: 'workers', kind: 'workerPool', name: 'Workers', position: { x: 500, y: 0 } },
      { id: 'audit', kind: 'service', name: 'Audit', position: { x: 500, y: 250 } },
    ],
    paths: [
      { id: 'charge', from: 'api', to: ['workers'], description: 'charge the card', subject: 'orders.payment.requested', answers: { restart: 'no', fanout: 'one', processing: 'slow', nature: 'request' }, processingTime: '20s' },
      { id: 'audit-log', from: 'api', to: ['audit'], description: 'audit log of orders', subject: 'audit.order.recorded', answers: { restart: 'no' } },
    ],
  };
}

before(async () => {
  harness = await startWebviewHarness('designer', { title: 'Design', workers: true, viewport: { width: 1500, height: 950 } });
});

after(async () => {
  await harness?.close();
});

beforeEach(async () => {
  hp = await harness.newPage();
  page = hp.page;
  doc.text = '';
  doc.version = 0;
});

test('draws the Overmind example: every component, every path with its subject and verdict badge', async () => {
  await open(overmind());
  const loaded = loadDesign(overmind());
  assert.ok(loaded.ok);
  const d = loaded.design;
  assert.equal(await page.locator('.react-flow__node').count(), d.components.length);
  const classes = classifyPaths(d);
  for (const p of d.paths) {
    const label = page.getByTestId(`edge-${p.id}`);
    await label.waitFor();
    assert.equal(await label.getByTestId('edge-subject').innerText(), p.subject);
    const c = classes.find((x) => x.path === p.id)!;
    assert.equal(c.primitive, 'stream');
    // the seed's paths are streams; where the file overrides the tests, the badge says so and names the primitive
    assert.equal(await label.getAttribute('data-verdict'), c.overridden ? 'overridden' : 'stream', p.id);
    assert.match(await label.getByTestId('edge-verdict').innerText(), /Stream/);
  }
  // the plan panel lists the seed's three streams
  await page.getByTestId('tab-plan').click();
  for (const s of ['routing-decisions', 'memory-events', 'llm-requests']) await page.getByTestId(`plan-stream-${s}`).waitFor();
  assert.deepEqual(await hp.cspViolations(), []);
});

test('add two components, draw a path, answer the tests: the verdict shows and the document text follows', async () => {
  const empty: FlowDesign = { version: 1, name: 'new', environment: 'development', components: [], paths: [] };
  await open(formatDesign(empty));
  await page.getByTestId('add-service').click();
  let e = await answerEdit();
  assert.equal(e.design.components.length, 1);
  await page.getByTestId('add-workerPool').click();
  e = await answerEdit();
  assert.deepEqual(e.design.components.map((c) => c.kind), ['service', 'workerPool']);
  await waitRendered(doc.version);
  const [a, b] = e.design.components;
  // place them apart so the handles are easy to reach, as a user would drag them
  await open(formatDesign({ ...e.design, components: [{ ...a!, position: { x: 0, y: 100 } }, { ...b!, position: { x: 500, y: 100 } }] }));
  await page.getByTestId('fit').click();
  await page.waitForTimeout(300);
  const source = page.locator(`.react-flow__node[data-id="${a!.id}"] .react-flow__handle.source`);
  const target = page.locator(`.react-flow__node[data-id="${b!.id}"] .react-flow__handle.target`);
  const sb = (await source.boundingBox())!;
  const tb = (await target.boundingBox())!;
  await page.mouse.move(sb.x + sb.width / 2, sb.y + sb.height / 2);
  await page.mouse.down();
  await page.mouse.move((sb.x + tb.x) / 2, sb.y + 10, { steps: 5 });
  await page.mouse.move(tb.x + tb.width / 2, tb.y + tb.height / 2, { steps: 5 });
  await page.mouse.up();
  e = await answerEdit();
  assert.equal(e.design.paths.length, 1);
  const path = e.design.paths[0]!;
  assert.deepEqual([path.from, path.to], [a!.id, [b!.id]]);
  assert.match(doc.text, new RegExp(`"from": "${a!.id}"`));
  await waitRendered(doc.version);
  const label = page.getByTestId(`edge-${path.id}`);
  assert.equal(await label.getAttribute('data-verdict'), 'undecided');
  // the inspector opened on the new path: answer the tests
  await page.getByTestId('inspector-path').waitFor();
  await page.getByTestId('answer-restart').selectOption('no');
  e = await answerEdit();
  assert.equal(e.design.paths[0]!.answers.restart, 'no');
  await waitRendered(doc.version);
  assert.equal(await label.getAttribute('data-verdict'), 'stream');
  assert.equal(await page.getByTestId('inspector-verdict').getAttribute('data-verdict'), 'stream');
  // a conflicting answer: the seed's advice appears and the badge says conflict
  await page.getByTestId('answer-nature').selectOption('fact');
  e = await answerEdit();
  await waitRendered(doc.version);
  assert.equal(await label.getAttribute('data-verdict'), 'conflict');
  assert.match(await hp.text('inspector-conflict'), /disagree/);
  assert.match(doc.text, /"answers": \{ "restart": "no", "nature": "fact" \}/);
});

test('the description pre-fills the tests with the classifier’s evidence; the user’s answer wins', async () => {
  await open(formatDesign(small()));
  await page.getByTestId('edge-audit-log').click();
  await page.getByTestId('inspector-path').waitFor();
  const desc = page.getByTestId('path-description');
  await desc.fill('Order status changed. The storefront, the support dashboard and the analytics service all react and just overwrite their local copy.');
  await desc.blur();
  const e = await answerEdit();
  const answers = e.design.paths.find((p) => p.id === 'audit-log')!.answers;
  assert.equal(answers.restart, 'no', 'the user’s answer is kept');
  assert.equal(answers.fanout, 'all', 'an unanswered test takes the description’s answer');
  await waitRendered(doc.version);
  assert.match(await hp.text('evidence-fanout'), /all react/i);
});

test('a flat subject is flagged with suggestions, and lint marks land on the right edge and node', async () => {
  const d = small();
  d.overrides = { streams: { audit: { subjects: ['audit.user.>'] } } };
  await open(formatDesign(d));
  // subject-uncaptured: the publisher "api" and path audit-log are marked, "workers" is not
  assert.equal(await page.getByTestId('edge-audit-log').getAttribute('data-lint'), 'error');
  assert.equal(await page.getByTestId('node-api').getAttribute('data-lint'), 'error');
  assert.equal(await page.getByTestId('edge-charge').getAttribute('data-lint'), '');
  assert.equal(await page.getByTestId('node-workers').getAttribute('data-lint'), '');
  await page.getByTestId('edge-charge').click();
  const subject = page.getByTestId('path-subject');
  await subject.fill('orders');
  assert.match(await hp.text('path-subject-error'), /\{domain\}\.\{entity\}\.\{event\}/);
  const chips = page.getByTestId('subject-suggestions').locator('button');
  assert.ok((await chips.count()) >= 2);
  await chips.first().click();
  const e = await answerEdit();
  assert.equal(e.design.paths.find((p) => p.id === 'charge')!.subject, 'orders.item.created');
});

test('delete, copy and paste with the keyboard', async () => {
  await open(formatDesign(small()));
  await page.locator('.react-flow__node[data-id="audit"]').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  let e = await answerEdit();
  assert.deepEqual(e.design.components.map((c) => c.id), ['api', 'workers', 'audit', 'audit-2']);
  await waitRendered(doc.version);
  await page.locator('.react-flow__node[data-id="audit"]').click();
  await page.keyboard.press('Delete');
  e = await answerEdit();
  assert.deepEqual(e.design.components.map((c) => c.id), ['api', 'workers', 'audit-2']);
  assert.deepEqual(e.design.paths.map((p) => p.id), ['charge'], 'the path that lost its only receiver went with it');
});

test('an external edit redraws the canvas and keeps the viewport', async () => {
  await open(formatDesign(small()));
  const before = await page.locator('.react-flow__viewport').getAttribute('style');
  const d = small();
  d.components[0]!.name = 'Renamed API';
  await open(formatDesign(d));
  assert.equal(await page.locator('.react-flow__node[data-id="api"]').getByTestId('node-name').innerText(), 'Renamed API');
  assert.equal(await page.locator('.react-flow__viewport').getAttribute('style'), before);
});

test('a text edit of one component redraws that component only: no edge is unmounted, and the lint marks follow', async () => {
  const d = small();
  await open(formatDesign(d));
  // count every edge and edge label React Flow adds or removes from here on
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals & { __churn: number };
    g.__churn = 0;
    const watch = new (globalThis as unknown as { MutationObserver: new (cb: (rs: { addedNodes: unknown[]; removedNodes: unknown[] }[]) => void) => { observe(n: unknown, o: unknown): void } }).MutationObserver((rs) => {
      for (const r of rs) g.__churn += r.addedNodes.length + r.removedNodes.length;
    });
    for (const sel of ['.react-flow__edges', '.react-flow__edgelabel-renderer']) watch.observe(g.document.querySelector(sel), { childList: true });
  });
  d.components[2]!.name = 'Audit log';
  await open(formatDesign(d));
  assert.equal(await page.locator('.react-flow__node[data-id="audit"]').getByTestId('node-name').innerText(), 'Audit log');
  assert.equal(await page.evaluate(() => (globalThis as unknown as { __churn: number }).__churn), 0, 'no edge or edge label was unmounted and mounted again');
  // plan and lint run after the drawing; the edit's own findings still reach the canvas
  assert.equal(await page.getByTestId('edge-audit-log').getAttribute('data-lint'), '');
  d.paths[1]!.subject = 'audit';
  const r = await (async () => (await open(formatDesign(d)), waitRendered(doc.version)))();
  assert.ok(r.findings > 0);
  assert.match(await page.getByTestId('edge-audit-log').getAttribute('data-lint') ?? '', /^(warning|error)$/, 'the flat subject marks its path');
});

test('a broken document shows its problems with lines and loses nothing', async () => {
  await open('{ "version": 1, "name": "x", ');
  assert.match(await hp.text('problems'), /JSON syntax/);
  const sent = await hp.sent();
  assert.equal(sent.filter((m) => m.method === 'design/edit').length, 0, 'nothing was written');
});

test('hostile names, descriptions and subjects stay text', async () => {
  const d = small();
  d.components[0]!.name = PWN;
  d.components[1]!.description = PWN_SCRIPT;
  d.paths[0]!.description = PWN_SCRIPT;
  d.name = PWN;
  await open(formatDesign(d));
  assert.equal(await page.locator('.react-flow__node[data-id="api"]').getByTestId('node-name').innerText(), PWN);
  assert.equal(await hp.text('title'), PWN);
  await page.getByTestId('edge-charge').click();
  assert.equal(await page.getByTestId('path-description').inputValue(), PWN_SCRIPT);
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned), undefined);
  assert.equal(await page.locator('img[src=x]').count(), 0);
});

test('a large design (200 components, 400 paths, no positions) is laid out in the worker', async () => {
  const d: FlowDesign = { version: 1, name: 'large', environment: 'development', components: [], paths: [] };
  for (let i = 0; i < 200; i++) d.components.push({ id: `c${i}`, kind: i % 5 === 0 ? 'workerPool' : 'service', name: `Component ${i}` });
  for (let i = 0; i < 400; i++) d.paths.push({ id: `p${i}`, from: `c${i % 200}`, to: [`c${(i * 7 + 13) % 200 === i % 200 ? (i + 1) % 200 : (i * 7 + 13) % 200}`], description: `step ${i}`, subject: `ctx${i % 20}.entity${i}.done`, answers: { restart: 'no' } });
  const started = Date.now();
  await open(formatDesign(d));
  const took = Date.now() - started;
  const r = await waitRendered(doc.version);
  assert.equal(r.nodes, 200);
  assert.equal(r.edges, 400);
  // laid out: positions differ (the grid fallback would put node 0 and 1 on one row 320 apart)
  const xs = await page.locator('.react-flow__node').evaluateAll((ns) => ns.slice(0, 50).map((n) => (n as unknown as { style: { transform: string } }).style.transform));
  assert.ok(new Set(xs).size > 10, 'nodes have distinct positions');
  assert.ok(took < 30_000);
  assert.equal((await hp.sent()).filter((m) => m.method === 'design/edit').length, 0, 'auto-positions are not written to the file');
});

test('apply tab: preview lists each change, apply shows the host’s report; nothing without a connection', async () => {
  await open(overmind());
  await page.getByTestId('tab-apply').click();
  assert.equal(await page.getByTestId('apply-button').isDisabled(), true, 'not connected: no apply');
  await hp.post({ kind: 'notification', method: 'design/server', params: { connected: true, name: 'local' } });
  await page.getByTestId('preview-button').click();
  const preview = await hp.waitForRequest('design/preview');
  assert.deepEqual(preview.params, { prune: false });
  const changes = [
    { kind: 'stream', name: 'routing-decisions', action: 'create', details: [] },
    { kind: 'stream', name: 'memory-events', action: 'cannot-change', details: ['storage: memory → file (fixed at creation)'], reason: 'create a new one' },
    { kind: 'consumer', name: 'api-consumer', stream: 'routing-decisions', action: 'unchanged', details: [] },
  ];
  await hp.post({ kind: 'response', id: preview.id, method: 'design/preview', ok: true, result: { ok: true, message: '', server: 'local', changes } });
  const rows = page.getByTestId('preview').locator('tr');
  await rows.first().waitFor();
  assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-action'))), ['create', 'cannot-change', 'unchanged']);
  assert.match(await rows.nth(1).innerText(), /storage: memory → file/);
  await page.getByTestId('prune').check();
  await page.getByTestId('apply-button').click();
  const apply = await hp.waitForRequest('design/apply');
  assert.deepEqual(apply.params, { prune: true });
  await hp.post({ kind: 'response', id: apply.id, method: 'design/apply', ok: true, result: { ok: true, cancelled: false, message: '1 done, 0 failed, 0 skipped', steps: [{ label: 'create stream routing-decisions', status: 'done' }] } });
  const again = await hp.waitForRequest('design/preview');
  await hp.post({ kind: 'response', id: again.id, method: 'design/preview', ok: true, result: { ok: true, message: '', server: 'local', changes: [] } });
  assert.match(await hp.text('apply-result'), /1 done[\s\S]*create stream routing-decisions/);
});

test('apply tab: objects asking for more replicas than the server holds are listed; the cap box sends replicasCap and the capped objects are shown', async () => {
  await open(overmind());
  await page.getByTestId('tab-apply').click();
  await hp.post({ kind: 'notification', method: 'design/server', params: { connected: true, name: 'local' } });
  assert.equal(await page.getByTestId('replicas-cap').count(), 0, 'no cap offered before a preview says why');
  await page.getByTestId('preview-button').click();
  const first = await hp.waitForRequest('design/preview');
  assert.deepEqual(first.params, { prune: false });
  const server = 'nats-server 2.14.5 "sandbox" is a single server (not clustered)';
  const over = [
    { object: 'stream routing-decisions', planned: 3 },
    { object: 'stream memory-events', planned: 3 },
  ];
  const changes = [{ kind: 'stream', name: 'routing-decisions', action: 'create', details: [] }];
  await hp.post({ kind: 'response', id: first.id, method: 'design/preview', ok: true, result: { ok: true, message: '', server: 'local', changes, replicas: { server, max: 1, over, capped: [] } } });
  await page.getByTestId('replicas-over').waitFor();
  const warning = await hp.text('replicas-over');
  assert.match(warning, /is a single server \(not clustered\) holds at most 1 replica; these ask for more:/);
  assert.match(warning, /stream routing-decisions: 3 replicas[\s\S]*stream memory-events: 3 replicas/);
  assert.deepEqual(await page.getByTestId('replicas-cap-value').locator('option').allInnerTexts(), ['1'], 'a single server: only 1');
  await page.getByTestId('replicas-cap').check();
  await page.getByTestId('preview-button').click();
  const second = await hp.waitForRequest('design/preview');
  assert.deepEqual(second.params, { prune: false, replicasCap: 1 });
  const capped = over.map((o) => ({ ...o, capped: 1 }));
  await hp.post({ kind: 'response', id: second.id, method: 'design/preview', ok: true, result: { ok: true, message: '', server: 'local', changes, replicas: { server, max: 1, over: [], capped, cap: 1 } } });
  await page.getByTestId('replicas-capped').waitFor();
  assert.match(await hp.text('replicas-capped'), /Replicas capped at 1[\s\S]*stream routing-decisions: 3 → 1[\s\S]*stream memory-events: 3 → 1/);
  assert.equal(await page.getByTestId('replicas-over').count(), 0);
  await page.getByTestId('apply-button').click();
  const apply = await hp.waitForRequest('design/apply');
  assert.deepEqual(apply.params, { prune: false, replicasCap: 1 });
  await hp.post({ kind: 'response', id: apply.id, method: 'design/apply', ok: true, result: { ok: true, cancelled: false, message: '1 done', steps: [] } });
});

test('apply tab: on a 3-server cluster the cap can be chosen below the server size (1..3) even when nothing asks for more', async () => {
  await open(overmind());
  await page.getByTestId('tab-apply').click();
  await hp.post({ kind: 'notification', method: 'design/server', params: { connected: true, name: 'cluster' } });
  await page.getByTestId('preview-button').click();
  const first = await hp.waitForRequest('design/preview');
  assert.deepEqual(first.params, { prune: false });
  const server = 'cluster "nf-cluster" of 3 servers';
  const changes = [{ kind: 'stream', name: 'routing-decisions', action: 'create', details: [] }];
  // R3 fits: nothing over, nothing capped, but the design asks for 3, so a lower cap would change something
  await hp.post({ kind: 'response', id: first.id, method: 'design/preview', ok: true, result: { ok: true, message: '', server: 'cluster', changes, replicas: { server, max: 3, most: 3, over: [], capped: [] } } });
  await page.getByTestId('preview').waitFor();
  const select = page.getByTestId('replicas-cap-value');
  assert.deepEqual(await select.locator('option').allInnerTexts(), ['1', '2', '3'], 'caps 1..the server size');
  assert.equal(await select.inputValue(), '3', 'the server size until chosen');
  assert.equal(await page.getByTestId('replicas-cap').isChecked(), false);
  assert.equal(await page.getByTestId('replicas-over').count(), 0);
  await select.selectOption('2');
  assert.equal(await page.getByTestId('replicas-cap').isChecked(), true, 'choosing a value turns the cap on');
  await page.getByTestId('preview-button').click();
  const second = await hp.waitForRequest('design/preview');
  assert.deepEqual(second.params, { prune: false, replicasCap: 2 });
  const capped = [{ object: 'stream routing-decisions', planned: 3, capped: 2 }];
  await hp.post({ kind: 'response', id: second.id, method: 'design/preview', ok: true, result: { ok: true, message: '', server: 'cluster', changes, replicas: { server, max: 3, most: 3, over: [], capped, cap: 2 } } });
  await page.getByTestId('replicas-capped').waitFor();
  assert.match(await hp.text('replicas-capped'), /Replicas capped at 2[\s\S]*stream routing-decisions: 3 → 2/);
  assert.equal(await select.inputValue(), '2');
  // unchecking sends no cap; an R1 design on the same cluster is offered no cap at all
  await page.getByTestId('replicas-cap').uncheck();
  await page.getByTestId('preview-button').click();
  const third = await hp.waitForRequest('design/preview');
  assert.deepEqual(third.params, { prune: false });
  await hp.post({ kind: 'response', id: third.id, method: 'design/preview', ok: true, result: { ok: true, message: '', server: 'cluster', changes, replicas: { server, max: 3, most: 1, over: [], capped: [] } } });
  await page.getByTestId('replicas-capped').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('replicas-cap').count(), 0, 'nothing above 1 replica: no cap offered');
});

test('live overlay: counts on each path, missing objects flagged; the context menu asks the host for a tail', async () => {
  await open(formatDesign(small()));
  await hp.post({ kind: 'notification', method: 'design/server', params: { connected: true, name: 'local' } });
  const plan = planDesign(small());
  const orders = plan.streams.find((s) => s.paths.includes('charge'))!;
  const worker = plan.consumers.find((c) => c.path === 'charge')!;
  await hp.post({
    kind: 'notification',
    method: 'design/live',
    params: {
      at: new Date().toISOString(),
      streams: [{ name: orders.config.name, exists: true, messages: 1234, bytes: 1000, rate: 2.5 }],
      consumers: [{ stream: worker.stream, name: worker.config.durable_name, exists: true, pending: 7, ackPending: 2 }],
      buckets: [],
    },
  });
  const charge = page.getByTestId('edge-charge').getByTestId('edge-live');
  await charge.waitFor();
  assert.match(await charge.innerText(), /1234 msgs · 2\.5\/s · .*7 pending, 2 ack/);
  assert.match(await page.getByTestId('edge-audit-log').getByTestId('edge-live').innerText(), /missing on server/);
  await page.getByTestId('rf__edge-charge>workers').dispatchEvent('contextmenu', { clientX: 300, clientY: 300 });
  const menu = page.getByTestId('edge-menu');
  await menu.waitFor();
  await menu.getByRole('button', { name: /^Tail stream/ }).click();
  const req = await hp.waitForRequest('design/openTail');
  assert.deepEqual(req.params, { source: 'stream', stream: orders.config.name, filter: 'orders.payment.requested' });
});

test('scaffold: the path menu and the toolbar ask the host to scaffold that path or the whole design, and show its answer', async () => {
  await open(formatDesign(small()));
  await page.getByTestId('rf__edge-charge>workers').dispatchEvent('contextmenu', { clientX: 300, clientY: 300 });
  await page.getByTestId('edge-menu').waitFor();
  // the tail ships with the designer: its entries only wait for a connection
  const tail = page.getByTestId('edge-menu').getByRole('button', { name: /^Tail stream/ });
  assert.equal(await tail.isDisabled(), true);
  assert.equal(await tail.getAttribute('title'), 'Connect first');
  await page.getByTestId('scaffold-path').click();
  const one = await hp.waitForRequest('design/scaffold');
  assert.deepEqual(one.params, { path: 'charge' });
  await hp.post({ kind: 'response', id: one.id, method: 'design/scaffold', ok: true, result: { message: 'Scaffolded 2 projects (21 files).' } });
  await page.getByTestId('status').getByText('Scaffolded 2 projects (21 files).').waitFor();
  await page.getByTestId('scaffold-design').click();
  const all = await hp.waitForRequest('design/scaffold');
  assert.deepEqual(all.params, {});
  await hp.post({ kind: 'response', id: all.id, method: 'design/scaffold', ok: false, error: { code: 'handlerFailed', message: 'Nothing to scaffold for design "shop"' } });
  assert.match(await hp.text('error-banner'), /Could not scaffold code[\s\S]*Nothing to scaffold/);
});

test('override needs a reason; schema, rate and processing time are checked before they are written', async () => {
  await open(formatDesign(small()));
  await page.getByTestId('edge-audit-log').click();
  await page.getByTestId('override-primitive').selectOption('kv');
  assert.match(await hp.text('override-reason-error'), /say why/);
  assert.equal((await hp.sent()).filter((m) => m.method === 'design/edit').length, 0, 'no override without a reason');
  const reason = page.getByTestId('override-reason');
  await reason.fill('audit entries are facts others watch');
  await reason.press('Enter');
  let e = await answerEdit();
  assert.deepEqual(e.design.paths.find((p) => p.id === 'audit-log')!.override, { primitive: 'kv', reason: 'audit entries are facts others watch' });
  await waitRendered(doc.version);
  assert.equal(await page.getByTestId('edge-audit-log').getAttribute('data-verdict'), 'overridden');

  const schema = page.getByTestId('path-schema');
  await schema.fill('{ "type": ');
  await page.getByTestId('path-rate').click();
  assert.equal((await hp.sent()).filter((m) => m.method === 'design/edit' && !m.seen).length, 0, 'broken JSON is not written');
  await schema.fill('{ "type": "object", "required": ["id"] }');
  await page.getByTestId('path-rate').click();
  e = await answerEdit();
  assert.deepEqual(e.design.paths.find((p) => p.id === 'audit-log')!.schema, { type: 'object', required: ['id'] });
  await waitRendered(doc.version);
  const processing = page.getByTestId('path-processing');
  await processing.fill('45s');
  await processing.press('Enter');
  e = await answerEdit();
  assert.equal(e.design.paths.find((p) => p.id === 'audit-log')!.processingTime, '45s');
});

test('the inspector edits receivers, queue group, dead letters and in-progress acks; bad values are named and not written', async () => {
  await open(formatDesign(small()));
  await page.getByTestId('edge-charge').click();
  await page.getByTestId('path-delivery').waitFor();
  const edits = async () => (await hp.sent()).filter((m) => m.method === 'design/edit' && !m.seen).length;
  const pathOf = (d: FlowDesign) => d.paths.find((p) => p.id === 'charge')!;
  const docPath = () => pathOf(JSON.parse(doc.text) as FlowDesign);

  // receivers: add Audit, remove Workers; the last one cannot go
  await page.getByTestId('add-receiver').selectOption('audit');
  let e = await answerEdit();
  assert.deepEqual(pathOf(e.design).to, ['workers', 'audit']);
  assert.match(doc.text, /"to": \["workers", "audit"\]/);
  await waitRendered(doc.version);
  await page.getByTestId('rf__edge-charge>audit').waitFor();
  await page.getByTestId('remove-receiver-workers').click();
  e = await answerEdit();
  assert.deepEqual(pathOf(e.design).to, ['audit']);
  await waitRendered(doc.version);
  await page.getByTestId('remove-receiver-audit').click();
  assert.match(await hp.text('path-receivers-error'), /"Audit" is the only receiver of path "charge"/);
  assert.equal(await edits(), 0, 'the last receiver is not removed');

  // queue group: whitespace and dots are named, a token is written
  const queue = page.getByTestId('path-queue-group');
  await queue.fill('billing workers');
  assert.match(await hp.text('path-queue-group-error'), /queue group "billing workers" contains whitespace at position 8/);
  await queue.press('Enter');
  await queue.fill('billing.workers');
  assert.match(await hp.text('path-queue-group-error'), /contains "\." at position 8/);
  await queue.blur();
  assert.equal(await edits(), 0, 'an invalid queue group is not written');
  await queue.fill('billing');
  await queue.press('Enter');
  e = await answerEdit();
  assert.equal(pathOf(e.design).queueGroup, 'billing');
  assert.match(doc.text, /"queueGroup": "billing"/);
  await waitRendered(doc.version);

  // dead letters: "external" needs a reason first
  await page.getByTestId('path-dead-letter').selectOption('external');
  assert.match(await hp.text('dead-letter-reason-error'), /external dead-letter plan needs a reason/);
  assert.equal(await edits(), 0, 'no external plan without a reason');
  const reason = page.getByTestId('dead-letter-reason');
  await reason.fill('the billing team replays failures from Kafka');
  await reason.press('Enter');
  e = await answerEdit();
  assert.deepEqual(pathOf(e.design).deadLetter, { mode: 'external', reason: 'the billing team replays failures from Kafka' });
  assert.deepEqual(docPath().deadLetter, { mode: 'external', reason: 'the billing team replays failures from Kafka' });
  await waitRendered(doc.version);

  // in-progress acks on, then off again (the field leaves the file)
  await page.getByTestId('path-in-progress-acks').check();
  e = await answerEdit();
  assert.equal(pathOf(e.design).inProgressAcks, true);
  assert.match(doc.text, /"inProgressAcks": true/);
  await waitRendered(doc.version);
  await page.getByTestId('path-in-progress-acks').uncheck();
  e = await answerEdit();
  assert.equal('inProgressAcks' in pathOf(e.design), false);
  assert.doesNotMatch(doc.text, /inProgressAcks/);
});

test('quick fixes in the inspector and the Problems tab are design edits that clear their finding', async () => {
  const d = small();
  d.overrides = { consumers: { 'charge/workers': { ack_wait: '5s' } } };
  d.paths[1]!.primitive = 'kv';
  await open(formatDesign(d));
  assert.equal(await page.getByTestId('edge-charge').getAttribute('data-lint'), 'error');
  await page.getByTestId('edge-charge').click();
  const fixes = page.getByTestId('inspector-findings').getByTestId('quick-fix');
  assert.deepEqual(await fixes.evaluateAll((bs) => bs.map((b) => (b as unknown as { textContent: string }).textContent.trim())), [
    'Send in-progress acks while working ("inProgressAcks": true on path charge)',
    'Raise ack_wait of charge-workers to 40s (twice the processing time 20s)',
  ]);
  await fixes.nth(1).click();
  let e = await answerEdit();
  assert.equal(e.label, 'quick fix: Raise ack_wait of charge-workers to 40s (twice the processing time 20s)');
  assert.deepEqual(e.design.overrides?.consumers?.['charge/workers'], { ack_wait: '40s' });
  assert.match(doc.text, /"ack_wait": "40s"/);
  await waitRendered(doc.version);
  assert.equal(await page.getByTestId('edge-charge').getAttribute('data-lint'), '', 'the finding is gone from the canvas');

  // the Problems tab offers the same fixes
  await page.getByTestId('tab-findings').click();
  await page.locator('[data-rule="primitive-stale"]').getByTestId('quick-fix').click();
  e = await answerEdit();
  assert.equal(e.design.paths.find((p) => p.id === 'audit-log')!.primitive, 'stream');
  await waitRendered(doc.version);
  assert.equal(await page.locator('[data-rule="primitive-stale"]').count(), 0);
});

test('search marks matching components and subjects; Enter zooms to the hit', async () => {
  const d = small();
  for (let i = 0; i < 12; i++) d.components.push({ id: `svc${i}`, kind: 'service', name: `Service ${i}`, position: { x: (i % 4) * 400, y: 600 + Math.floor(i / 4) * 300 } });
  await open(formatDesign(d));
  const matched = () => page.locator('.nf-node--match').evaluateAll((ns) => ns.map((n) => (n as unknown as { dataset: { testid: string } }).dataset.testid));
  const search = page.getByTestId('search');
  await page.keyboard.press('Control+f');
  assert.equal(await search.evaluate((el) => el === (globalThis as unknown as PageGlobals).document.activeElement), true, 'Ctrl+F focuses the search box');
  await search.fill('service 1');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('.nf-node--match').length === 3);
  assert.deepEqual((await matched()).sort(), ['node-svc1', 'node-svc10', 'node-svc11']);
  assert.equal(await page.locator('.nf-edge-label--match').count(), 0);
  // a subject matches its path's label; the publisher is where Enter goes
  await search.fill('ORDER.RECORDED');
  await page.getByTestId('edge-audit-log').and(page.locator('.nf-edge-label--match')).waitFor();
  assert.equal(await page.getByTestId('edge-charge').and(page.locator('.nf-edge-label--match')).count(), 0);
  assert.deepEqual(await matched(), []);
  // Enter zooms to the hit: the last component, far below the first view
  await search.fill('Service 11');
  const before = await page.locator('.react-flow__viewport').getAttribute('style');
  await search.press('Enter');
  await page.waitForFunction((b) => (globalThis as unknown as PageGlobals).document.querySelector('.react-flow__viewport').getAttribute('style') !== b, before);
  await page.waitForTimeout(400); // the 200 ms zoom animation
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const hit = (await page.getByTestId('node-svc11').boundingBox())!;
  assert.ok(hit.x >= canvas.x && hit.x + hit.width <= canvas.x + canvas.width && hit.y >= canvas.y && hit.y + hit.height <= canvas.y + canvas.height, `the hit is in view: ${JSON.stringify({ hit, canvas })}`);
});

test('multi-select: Ctrl- and Shift-click add components, Delete removes them in one edit, Ctrl+A selects all', async () => {
  await open(formatDesign(small()));
  const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
  const selectedIds = () => page.locator('.nf-node--selected').evaluateAll((ns) => ns.map((n) => (n as unknown as { dataset: { testid: string } }).dataset.testid).sort());
  await node('workers').click();
  await node('audit').click({ modifiers: ['Control'] });
  assert.deepEqual(await selectedIds(), ['node-audit', 'node-workers']);
  assert.match(await hp.text('inspector-empty'), /2 components selected/);
  await node('api').click({ modifiers: ['Shift'] });
  assert.deepEqual(await selectedIds(), ['node-api', 'node-audit', 'node-workers']);
  await node('api').click({ modifiers: ['Control'] });
  assert.deepEqual(await selectedIds(), ['node-audit', 'node-workers'], 'a second Ctrl-click takes one out');
  await page.keyboard.press('Delete');
  const e = await answerEdit();
  assert.equal(e.label, 'delete 2 item(s)');
  assert.deepEqual(e.design.components.map((c) => c.id), ['api']);
  assert.deepEqual(e.design.paths, [], 'the paths to them went with them');
  await waitRendered(doc.version);
  await open(formatDesign(small()));
  await page.getByTestId('canvas').click({ position: { x: 30, y: 30 } });
  await page.keyboard.press('Control+a');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('.nf-node--selected').length === 3);
});

test('the viewport, the selection and the open tab come back when the webview starts again', async () => {
  await open(formatDesign(small()));
  await page.getByTestId('edge-audit-log').click();
  await page.getByTestId('inspector-path').waitFor();
  await page.locator('.react-flow__controls-zoomin').click();
  await page.locator('.react-flow__controls-zoomin').click();
  await page.getByTestId('tab-plan').click();
  await page.waitForFunction(() => {
    const s = (globalThis as unknown as PageGlobals).__state as { tab?: string; viewport?: { zoom: number } } | undefined;
    return s?.tab === 'plan' && s.viewport !== undefined;
  });
  const viewport = await page.locator('.react-flow__viewport').getAttribute('style');
  const state = await hp.state();
  assert.deepEqual((state as { selection: unknown }).selection, { components: [], edges: [{ path: 'audit-log', to: 'audit' }] });

  // a new webview (as after a reload) gets that state from getState
  hp = await harness.newPage({ state });
  page = hp.page;
  await open(formatDesign(small()));
  assert.equal(await page.getByTestId('tab-plan').getAttribute('aria-selected'), 'true', 'the plan tab is open again');
  await page.getByTestId('plan').waitFor();
  assert.equal(await page.locator('.react-flow__viewport').getAttribute('style'), viewport, 'the same pan and zoom');
  await page.getByTestId('edge-audit-log').and(page.locator('.nf-edge-label--selected')).waitFor();
  await page.getByTestId('tab-inspector').click();
  assert.equal(await page.getByTestId('inspector-path').locator('h2').innerText(), 'audit-log');
  // a saved selection of something deleted meanwhile is dropped, not shown
  hp = await harness.newPage({ state: { ...(state as object), selection: { components: ['gone'], edges: [{ path: 'gone', to: 'x' }] }, tab: 'inspector' } });
  page = hp.page;
  await open(formatDesign(small()));
  await page.getByTestId('inspector-empty').waitFor();
  assert.equal(await page.locator('.nf-node--selected, .nf-edge-label--selected').count(), 0);
});

test('dragging a component writes its new position once, when the drag ends', async () => {
  await open(formatDesign(small()));
  const node = page.locator('.react-flow__node[data-id="audit"]');
  const box = (await node.boundingBox())!;
  await page.mouse.move(box.x + 80, box.y + 30);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 80 + i * 10, box.y + 30 + i * 5);
  assert.equal((await hp.sent()).filter((m) => m.method === 'design/edit').length, 0, 'nothing is written while dragging');
  await page.mouse.up();
  const e = await answerEdit();
  const moved = e.design.components.find((c) => c.id === 'audit')!.position!;
  const before = small().components.find((c) => c.id === 'audit')!.position!;
  assert.ok(moved.x > before.x && moved.y > before.y, `moved right and down: ${JSON.stringify(moved)}`);
  assert.deepEqual(e.design.components.find((c) => c.id === 'api')!.position, small().components[0]!.position, 'the others stay');
  assert.match(e.label, /move Audit/);
});
