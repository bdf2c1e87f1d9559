/**
 * Incremental recognition and diagnostics equal a full re-run: random edits (typing, deleting,
 * Enter, pasting NATS code, breaking quotes and brackets) on the fixture files of every
 * language, each applied the way the editor does it (tree-sitter edit + re-parse with the old
 * tree, then analyseFile/diagnoseFile given the previous results), compared after every step
 * with a fresh parse, analysis and diagnosis of the same text.
 *
 * Seeded, so a failure repeats: NATS_FLOW_PROPERTY_SEED=<n> NATS_FLOW_PROPERTY_STEPS=<n> to
 * explore further.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ParserPool } from '../../src/treesitter';
import { analyseFile, diagnose, diagnoseFile, KeptTree, languageOfFile, type CatalogFacts, type FileAnalysis, type FileDiagnosis, type SourceLanguage, type TextChange } from '../../src/core/lenses';
import { makeFile } from '../helpers/lensFiles';
import { seededRandom } from '../helpers/seededRandom';

const dir = join(__dirname, '../fixtures/lenses');
const pool = new ParserPool();
const SEED = Number(process.env.NATS_FLOW_PROPERTY_SEED ?? 1);
const STEPS = Number(process.env.NATS_FLOW_PROPERTY_STEPS ?? 120);

const catalog: CatalogFacts = {
  server: 'test-server',
  streams: [{ name: 'ORDERS', subjects: ['orders.>'], messages: 12, consumers: 1, system: false }],
  consumers: [{ stream: 'ORDERS', name: 'worker', durable: true, ackPolicy: 'explicit', ackWaitMs: 30_000, numPending: 4, numAckPending: 1, numRedelivered: 0 }],
  consumersOf: ['ORDERS'],
  kv: [{ bucket: 'sessions', history: 5, values: 3, keys: 2 }],
  objectStores: [],
  at: 0,
};

const random = seededRandom;

/** Code worth pasting: calls, constants the calls use, comments with processing times, loops. */
const SNIPPETS: Record<'js' | 'go' | 'python', string[]> = {
  js: [
    "await js.publish('orders.x.>', '');\n",
    "const ORDERS_CREATED = 'orders.renamed';\n",
    '// processing takes up to 5m\n',
    "const kv = await new Kvm(nc).open('sessions');\n",
    'for await (const e of await kv.watch()) { console.log(e.key); }\n',
    "const c = await js.consumers.get('ORDERS', 'worker');\nawait c.consume({ callback: handle });\n",
    'function handle(m) { m.nak(); }\n',
    'm.nak();\n',
    '/* a comment */ ',
    "nc.subscribe('orders..x');\n",
    'const js = jetstream(nc);\n',
    'ack_policy: "none"\n',
  ],
  go: [
    '\tjs.Publish(ctx, "orders.x.>", nil)\n',
    'const OrdersCreated = "orders.renamed"\n',
    '// processing takes up to 5m\n',
    '\tkv, _ := js.KeyValue(ctx, "sessions")\n',
    '\tfor e := range w.Updates() {\n\t\tfmt.Println(e)\n\t}\n',
    '\tm.Nak()\n',
    'import "time"\n',
    'func handle(m jetstream.Msg) { m.Nak() }\n',
    '\tnc.Subscribe("orders..x", nil)\n',
    '/* block */',
  ],
  python: [
    '    await js.publish("orders.x.>", b"")\n',
    'ORDERS_CREATED = "orders.renamed"\n',
    '    # processing takes up to 5m\n',
    '    kv = await js.key_value("sessions")\n',
    '    async for e in w:\n        print(e)\n',
    '    await msg.nak()\n',
    'def handle(msg):\n    pass\n',
    '\n\nasync def extra(js):\n    psub = await js.pull_subscribe("orders.>", durable="worker", stream="ORDERS")\n',
    '    await nc.subscribe("orders..x")\n',
  ],
};
const TYPED = 'abcxyz_.() {}[]"\'`#/*:;,=\n\n    \t';

function family(lang: SourceLanguage): 'js' | 'go' | 'python' {
  return lang === 'go' ? 'go' : lang === 'python' ? 'python' : 'js';
}

/** One editor change event: one to three non-overlapping changes against `text`. */
function randomChanges(text: string, lang: SourceLanguage, rnd: () => number): TextChange[] {
  const n = rnd() < 0.8 ? 1 : 1 + Math.floor(rnd() * 3);
  const changes: TextChange[] = [];
  for (let i = 0; i < n; i++) {
    const offset = Math.floor(rnd() * (text.length + 1));
    const r = rnd();
    let change: TextChange;
    if (r < 0.35) change = { offset, length: 0, text: TYPED[Math.floor(rnd() * TYPED.length)] };
    else if (r < 0.55) change = { offset, length: Math.min(text.length - offset, 1 + Math.floor(rnd() * 12)), text: '' };
    else if (r < 0.7) {
      // Enter at the end of a line, keeping its indentation
      const eol = text.indexOf('\n', offset);
      const at = eol === -1 ? text.length : eol;
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      change = { offset: at, length: 0, text: '\n' + /^[ \t]*/.exec(text.slice(lineStart, at))![0] };
    } else if (r < 0.9) {
      // paste a snippet at a line start
      const at = text.lastIndexOf('\n', offset - 1) + 1;
      const list = SNIPPETS[family(lang)];
      change = { offset: at, length: 0, text: list[Math.floor(rnd() * list.length)] };
    } else {
      // replace a word
      const m = /\w+/g;
      m.lastIndex = offset;
      const w = m.exec(text);
      change = w ? { offset: w.index, length: w[0].length, text: ['orders', 'ORDERS', 'worker', 'sessions', 'x', 'nak', 'ack'][Math.floor(rnd() * 7)] } : { offset, length: 0, text: 'x' };
    }
    if (changes.every((c) => change.offset + change.length < c.offset || c.offset + c.length < change.offset)) changes.push(change);
  }
  return changes;
}

function apply(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.offset - a.offset)) out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.length);
  return out;
}

/** The change event that takes `text` after `changes` back to `text`. */
function inverse(text: string, changes: readonly TextChange[]): TextChange[] {
  let shift = 0;
  return [...changes]
    .sort((a, b) => a.offset - b.offset)
    .map((c) => {
      const back = { offset: c.offset + shift, length: c.text.length, text: text.slice(c.offset, c.offset + c.length) };
      shift += c.text.length - c.length;
      return back;
    });
}

const sortKey = (f: { range: { start: { line: number; col: number } }; rule: string; message: string }) => `${String(f.range.start.line).padStart(6)}:${String(f.range.start.col).padStart(4)} ${f.rule} ${f.message}`;

type Editor = (text: string, lang: SourceLanguage, rnd: () => number) => TextChange[];

/** Typing that keeps the file valid: a letter into a string literal, or Enter after a line's end. */
const cleanTyping: Editor = (text, _lang, rnd) => {
  const strings = [...text.matchAll(/["']audit\./g)];
  const at = strings[Math.floor(rnd() * strings.length)].index! + 7;
  if (rnd() < 0.7) return [{ offset: at, length: 0, text: 'abcxyz'[Math.floor(rnd() * 6)] }];
  const eol = text.indexOf('\n', at);
  return [{ offset: eol, length: 0, text: '\n' }];
};

/**
 * Python edits at the edges of top-level statements, where a segment re-parse (segmentParse.ts)
 * could go wrong: indenting or dedenting a top-level line, an opening `"""`, a trailing `\`, an
 * edit spanning two top-level statements, deleting a `def` line, `else:`/`except:` at column 0,
 * a decorator; mixed with typing inside a function (so segments are taken) and undone now and then.
 */
const pythonEdges: Editor = (text, lang, rnd) => {
  const lines = [...text.matchAll(/^.*$/gm)];
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const tops = lines.filter((m) => /^\S/.test(m[0]));
  const defs = lines.filter((m) => /^(async )?def /.test(m[0]));
  const inner = lines.filter((m) => /^ {4}\S/.test(m[0]));
  const r = rnd();
  if (r < 0.1 || !tops.length || !inner.length) return randomChanges(text, lang, rnd);
  if (r < 0.35) {
    // typing that keeps the file valid, inside a function: a comment at a line's end
    const m = pick(inner);
    return [{ offset: m.index! + m[0].length, length: 0, text: pick(['  # x', ' ', '#']) }];
  }
  if (r < 0.45) return [{ offset: pick(tops).index!, length: 0, text: '    ' }];
  if (r < 0.5) return [{ offset: pick(inner).index!, length: 4, text: '' }];
  if (r < 0.58) return [{ offset: pick(inner).index! + 4, length: 0, text: '"""' }];
  if (r < 0.66) {
    const m = pick([...inner, ...tops]);
    return [{ offset: m.index! + m[0].length, length: 0, text: ' \\' }];
  }
  if (r < 0.76) {
    // from inside one top-level statement to inside the next
    const i = Math.floor(rnd() * (tops.length - 1));
    if (i + 1 >= tops.length) return [{ offset: 0, length: 0, text: '#' }];
    const from = tops[i].index! + 1;
    return [{ offset: from, length: tops[i + 1].index! + 2 - from, text: pick(['', 'x', '\n']) }];
  }
  if (r < 0.84 && defs.length) {
    const m = pick(defs);
    return [{ offset: m.index!, length: m[0].length + 1, text: '' }];
  }
  if (r < 0.92) {
    const m = pick(inner);
    return [{ offset: m.index!, length: 0, text: pick(['else:\n', 'except Exception:\n', 'elif x:\n', '@decorator\n', 'finally:\n']) }];
  }
  const m = pick(inner);
  return [{ offset: m.index! + 4, length: 0, text: pick(['(', '[', '{', "'", 'f"{']) }];
};

async function run(
  name: string,
  start: string,
  lang: SourceLanguage,
  steps: number,
  seed: number,
  editor: Editor = randomChanges,
  varyBasis = true,
  undoRate = 0.4,
): Promise<{ chunks: number; recognised: number; judged: number; segments: number }> {
  const parser = await pool.parser(lang);
  const rnd = random(seed);
  let text = start;
  // as the editor keeps it: for Python an edit inside a top-level statement re-parses a segment
  const tree = KeptTree.parse(parser, lang, text);
  let analysis: FileAnalysis = analyseFile(tree, lang, text);
  let diagnosis: FileDiagnosis = diagnoseFile(analysis, { text, catalog });
  const totals = { chunks: 0, recognised: 0, judged: 0, segments: 0 };
  const undo: TextChange[][] = [];
  try {
    for (let step = 0; step < steps; step++) {
      // an undo now and then, as an editor sends it, so errors come and go instead of piling up
      let changes: TextChange[];
      if (undo.length && rnd() < undoRate) changes = undo.pop()!;
      else undo.push(inverse(text, (changes = editor(text, lang, rnd))));
      text = apply(text, changes);
      const segmentsBefore = tree.parses.segment;
      tree.update(changes, text);
      const segment = tree.parses.segment > segmentsBefore;
      // now and then the server snapshot or the settings change under the open file
      const opts = varyBasis ? { text, catalog: step % 40 < 30 ? catalog : undefined, disabled: step % 50 >= 45 ? new Set(['nak-no-delay']) : undefined } : { text, catalog };
      analysis = analyseFile(tree, lang, text, analysis);
      diagnosis = diagnoseFile(analysis, opts, diagnosis);
      totals.chunks += analysis.stats.chunks;
      totals.recognised += analysis.stats.recognised;
      totals.judged += diagnosis.stats.judged;

      const fresh = parser.parse(text)!;
      try {
        // now and then (error recovery) tree-sitter's incremental parse itself differs from a fresh
        // one; the editor has only the incremental tree, so then the full run reads that tree
        const topLevel = (nodes: readonly ({ toString(): string } | null)[]) => nodes.map(String).join('\n');
        const treesDiffer = topLevel(tree.topLevel) !== topLevel(fresh.rootNode.namedChildren);
        const where = `${name}, seed ${seed}, step ${step}: changes ${JSON.stringify(changes)}${treesDiffer ? ' (compared with a full run over the incremental tree, which differs from a fresh parse)' : ''}`;
        // a segment re-parse gives exactly the top-level statements a fresh parse gives (only
        // tree-sitter's own incremental parse may differ, in error recovery)
        if (segment) {
          totals.segments++;
          assert.equal(topLevel(tree.topLevel), topLevel(fresh.rootNode.namedChildren), `a segment re-parse differs from a fresh parse (${where})`);
        }
        const full = analyseFile(treesDiffer ? tree : fresh, lang, text);
        assert.deepEqual(analysis.recognition, full.recognition, `recognition differs from a full re-run (${where})`);
        const fullDiagnosis = diagnoseFile(full, opts);
        assert.deepEqual(diagnosis.findings, fullDiagnosis.findings, `findings differ from a full re-run (${where})`);
        // and the whole-file rules over the same recognition find the same (order of equal positions aside)
        assert.deepEqual(diagnose(full.recognition, opts).map(sortKey).sort(), fullDiagnosis.findings.map(sortKey).sort(), `diagnoseFile and diagnose differ (${where})`);
      } finally {
        fresh.delete();
      }
    }
  } finally {
    tree.delete();
  }
  return totals;
}

describe('incremental recognition and diagnostics equal a full re-run after random edits', () => {
  const fixtures = readdirSync(dir).filter((f) => !f.endsWith('.json'));
  for (const f of fixtures) {
    test(`${f}: ${STEPS} random edit events`, async () => {
      const lang = languageOfFile(f)!;
      const totals = await run(f, readFileSync(join(dir, f), 'utf8'), lang, STEPS, SEED + f.length);
      // the comparison means something only if chunks were taken over rather than recognised again
      // (a fixture has 3 to 20 chunks, and random edits leave some with syntax errors, never taken over;
      // the generated files below make the quantitative claim)
      assert.ok(totals.recognised < totals.chunks, `${f}: ${totals.recognised} of ${totals.chunks} chunks recognised again`);
    });
  }

  for (const lang of ['typescript', 'go', 'python'] as const) {
    test(`${lang}: a generated 400-line file under random edits`, async () => {
      const totals = await run(`generated ${lang}`, makeFile(lang, 'dense', 400), lang, Math.ceil(STEPS / 3), SEED + 7);
      // a chunk with an error in or above it is always read again, so random edits re-read much
      assert.ok(totals.recognised < totals.chunks, `${lang}: ${totals.recognised} of ${totals.chunks} chunks recognised again`);
    });

    test(`${lang}: typing that keeps the file valid re-reads one chunk per keystroke, and Enter moves the rest`, async () => {
      const steps = Math.ceil(STEPS / 3);
      const totals = await run(`typing in ${lang}`, makeFile(lang, 'dense', 400), lang, steps, SEED + 11, cleanTyping, false);
      // Python: each keystroke re-parses one top-level segment, not the whole file
      if (lang === 'python') assert.ok(totals.segments >= steps / 2, `python: ${totals.segments} of ${steps} keystrokes re-parsed a segment`);
      assert.ok(totals.recognised <= steps, `${lang}: ${totals.recognised} chunks recognised again in ${steps} keystrokes`);
      assert.ok(totals.judged <= steps, `${lang}: ${totals.judged} chunks judged again in ${steps} keystrokes`);
    });
  }

  test('python: edits at the edges of top-level statements (indent, """, trailing \\, across two, deleting a def)', async () => {
    let segments = 0;
    for (const [i, kind] of (['dense', 'typical'] as const).entries()) segments += (await run(`python edges (${kind})`, makeFile('python', kind, 300), 'python', STEPS, SEED + 13 + i, pythonEdges, true, 0.6)).segments;
    // the comparison checks segment re-parses only if some were taken
    assert.ok(segments > 0, 'python edges: no edit re-parsed a segment');
  });
});
