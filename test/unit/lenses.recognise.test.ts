import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ParserPool, recogniseText } from '../../src/treesitter';
import { diagnose, languageOfFile, subjectsIntersect, subjectTokenProblem, type CatalogFacts, type Finding } from '../../src/core/lenses';
import { callLine, findingLine } from '../helpers/lensFixtures';

const dir = join(__dirname, '../fixtures/lenses');
const pool = new ParserPool();
const fixtures = readdirSync(dir).filter((f) => !f.endsWith('.json'));

describe('recognisers on fixture files (tree-sitter)', () => {
  for (const f of fixtures) {
    test(`${f}: recognised calls and server-free diagnostics match ${f}.expected.json`, async () => {
      const text = readFileSync(join(dir, f), 'utf8');
      const expected = JSON.parse(readFileSync(join(dir, `${f}.expected.json`), 'utf8'));
      const rec = await recogniseText(pool, languageOfFile(f)!, text);
      assert.equal(rec.syntaxErrors, 0);
      assert.deepEqual(rec.calls.map(callLine), expected.calls);
      assert.deepEqual(diagnose(rec, { text }).map(findingLine), expected.findings);
    });
  }
  test('the fixtures cover the three languages and both nats.js generations', () => {
    assert.deepEqual(new Set(fixtures.map((f) => languageOfFile(f))), new Set(['typescript', 'javascript', 'go', 'python']));
  });
});

const applyEdits = (text: string, f: Finding) => {
  const lines = text.split('\n');
  for (const e of f.fixes[0].edits!) {
    const l = lines[e.range.start.line];
    lines[e.range.start.line] = l.slice(0, e.range.start.col) + e.newText + l.slice(e.range.end.col);
  }
  return lines.join('\n');
};

describe('textual quick fixes', () => {
  test('the nak fix gives a nak with a delay, and the file no longer has the finding', async () => {
    for (const f of ['orders.ts', 'orders.go', 'orders.py']) {
      const text = readFileSync(join(dir, f), 'utf8');
      const lang = languageOfFile(f)!;
      const nak = diagnose(await recogniseText(pool, lang, text), { text }).find((d) => d.rule === 'nak-no-delay')!;
      const fixed = applyEdits(text, nak);
      assert.match(fixed, /nak\(5_000\)|NakWithDelay\(5 \* time\.Second\)|nak\(delay=5\)/, f);
      const after = diagnose(await recogniseText(pool, lang, fixed), { text: fixed });
      assert.equal(after.filter((d) => d.rule === 'nak-no-delay').length, 0, f);
      assert.equal((await recogniseText(pool, lang, fixed)).syntaxErrors, 0, f);
    }
  });

  test('Go: no nak fix where the file does not import time (it would not compile)', async () => {
    const text = 'package w\nfunc h(c Consumer) { c.Consume(func(m Msg) { m.Nak() }) }\n';
    const d = diagnose(await recogniseText(pool, 'go', text), { text }).find((x) => x.rule === 'nak-no-delay')!;
    assert.equal(d.fixes.length, 0);
  });

  test('the invalid-subject fix keeps the quotes and removes the empty token', async () => {
    const text = "const nc = await connect();\nnc.publish('orders..created', '');\n";
    const d = diagnose(await recogniseText(pool, 'typescript', text), { text }).find((x) => x.rule === 'invalid-subject')!;
    assert.equal(applyEdits(text, d), "const nc = await connect();\nnc.publish('orders.created', '');\n");
  });
});

const catalog: CatalogFacts = {
  server: 'test-server',
  streams: [
    { name: 'ORDERS', subjects: ['orders.>'], messages: 12345, consumers: 2, system: false },
    { name: 'KV_sessions', subjects: ['$KV.sessions.>'], messages: 3, consumers: 0, system: 'kv', numSubjects: 2 },
  ],
  consumers: [{ stream: 'ORDERS', name: 'worker', durable: true, ackPolicy: 'explicit', ackWaitMs: 30_000, numPending: 4, numAckPending: 1, numRedelivered: 0 }],
  consumersOf: ['ORDERS'],
  kv: [{ bucket: 'sessions', history: 5, values: 3, keys: 2 }],
  objectStores: [],
  at: 0,
};

describe('rules that need the server (catalog facts)', () => {
  test('JetStream publish: captured subjects and patterns pass, others get "Create a stream for it"', async () => {
    const text = readFileSync(join(dir, 'orders.py'), 'utf8');
    const found = diagnose(await recogniseText(pool, 'python', text), { text, catalog });
    const lines = found.map(findingLine);
    assert.ok(!lines.some((l) => l.startsWith('11:') || l.startsWith('12:')), 'orders.created and orders.*.shipped are captured by ORDERS');
    const bucket = found.filter((d) => d.rule === 'unknown-bucket').map((d) => d.message);
    assert.deepEqual(bucket, ['Object store "artifacts" does not exist on test-server.']);
    assert.ok(!found.some((d) => d.rule === 'unknown-consumer'), 'worker exists on ORDERS');
    const noStream = diagnose(await recogniseText(pool, 'python', 'js = nc.jetstream()\nawait js.publish("payments.settled", b"")\n'), { catalog });
    assert.equal(noStream[0].rule, 'js-publish-no-stream');
    assert.deepEqual(noStream[0].fixes[0].action, { kind: 'createStream', subject: 'payments.settled' });
  });

  test('missing consumer and bucket are information with a Create… fix; creating calls are not flagged', async () => {
    const text = "const js = jetstream(nc);\nconst c = await js.consumers.get('ORDERS', 'billing');\nconst kv = await new Kvm(nc).open('prices');\nawait new Kvm(nc).create('made-here');\n";
    const found = diagnose(await recogniseText(pool, 'typescript', text), { text, catalog });
    assert.deepEqual(found.map((d) => `${d.rule} ${d.severity} ${d.fixes[0]?.title}`), [
      'unknown-consumer information Create consumer "billing" on ORDERS…',
      'unknown-bucket information Create KV bucket "prices"…',
    ]);
  });

  test('a rule turned off reports nothing', async () => {
    const text = readFileSync(join(dir, 'orders.ts'), 'utf8');
    const rec = await recogniseText(pool, 'typescript', text);
    const off = diagnose(rec, { text, disabled: new Set(['kv-watch-no-bootstrap', 'publish-wildcard']) });
    assert.ok(!off.some((d) => d.rule === 'kv-watch-no-bootstrap' || d.rule === 'publish-wildcard'));
    assert.ok(off.some((d) => d.rule === 'pull-no-ack'));
  });

  test('a KV watch loop that checks isUpdate / nil / None is not flagged', async () => {
    const cases: [Parameters<typeof recogniteLang>[0], string][] = [
      ['typescript', 'const kv = await kvm.open("b");\nfor await (const e of await kv.watch()) { if (e.delta === 0) ready(); }\n'],
      ['go', 'package x\nfunc f() { kv, _ := js.KeyValue(ctx, "b")\n w, _ := kv.WatchAll(ctx)\n for e := range w.Updates() { if e == nil { continue } } }\n'],
      ['python', 'kv = await js.key_value("b")\nw = await kv.watch("k")\nasync for e in w:\n    if e is None:\n        continue\n'],
    ];
    for (const [lang, text] of cases) {
      const rec = await recogniteLang(lang, text);
      assert.equal(rec.facts.watchLoops.length, 1, lang);
      assert.equal(rec.facts.watchLoops[0].hasBootstrapCheck, true, lang);
    }
  });
});

const recogniteLang = (lang: 'typescript' | 'go' | 'python', text: string) => recogniseText(pool, lang, text);

describe('subjects', () => {
  test('token problems', () => {
    assert.equal(subjectTokenProblem('orders.created'), undefined);
    assert.match(subjectTokenProblem('orders..created')!, /empty token/);
    assert.match(subjectTokenProblem('.orders')!, /start or end/);
    assert.match(subjectTokenProblem('orders.>.x')!, /last token/);
    assert.match(subjectTokenProblem('orders created')!, /whitespace/);
    assert.match(subjectTokenProblem('orders.a*')!, /whole tokens/);
  });
  test('stream filters capture subjects and patterns', () => {
    assert.ok(subjectsIntersect('orders.>', 'orders.created'));
    assert.ok(subjectsIntersect('orders.>', 'orders.*.shipped'));
    assert.ok(subjectsIntersect('orders.*', 'orders.created'));
    assert.ok(!subjectsIntersect('orders.*', 'orders.a.b'));
    assert.ok(!subjectsIntersect('orders.>', 'orders'));
    assert.ok(!subjectsIntersect('payments.>', 'orders.created'));
  });
});

describe('incremental re-parsing', () => {
  test('edited trees re-parse to the same recognition as a full parse (insert, delete, two changes in one event)', async () => {
    const { editTree, recognise } = await import('../../src/core/lenses');
    const parser = await pool.parser('typescript');
    let text = readFileSync(join(dir, 'orders.ts'), 'utf8');
    let tree = parser.parse(text)!;
    const steps: { offset: number; length: number; text: string }[][] = [
      [{ offset: 0, length: 0, text: '// a new first line\n' }],
      [{ offset: text.indexOf("'audit.>'") + 20, length: 9, text: "'audit.x'" }],
      [
        { offset: 30, length: 0, text: '\n\n' },
        { offset: text.length - 10, length: 5, text: '' },
      ],
    ];
    for (const changes of steps) {
      const before = text;
      for (const c of [...changes].sort((a, b) => b.offset - a.offset)) text = text.slice(0, c.offset) + c.text + text.slice(c.offset + c.length);
      editTree(tree, before, changes);
      const next = parser.parse(text, tree)!;
      tree.delete();
      tree = next;
      const full = parser.parse(text)!;
      assert.deepEqual(recognise(tree, 'typescript', text).calls, recognise(full, 'typescript', text).calls);
      full.delete();
    }
    tree.delete();
  });
});

describe('files that start with blank lines', () => {
  test('the same calls and facts, moved down (tree-sitter\'s root node starts at the first token, the text at 0)', async () => {
    const body = "const nc = await connect();\nconst js = jetstream(nc);\nawait js.publish('orders.created', x);\nnc.publish('a.b', y(z));\nfor (const m of ms) m.nak();\n";
    const plain = await recogniseText(pool, 'typescript', body);
    const padded = await recogniseText(pool, 'typescript', '\n\n\n\n\n\n\n\n' + body);
    assert.deepEqual(padded.calls.map(callLine), plain.calls.map(callLine).map((l) => l.replace(/^\d+/, (n) => String(Number(n) + 8))));
    assert.equal(plain.facts.bareNaks.length, 1);
    assert.equal(padded.facts.bareNaks.length, 1, 'the nak() after the blank lines is found');
  });
});
