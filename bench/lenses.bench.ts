/**
 * Code lens + diagnostics benchmark: a 5,000-line file per language (TypeScript, Go, Python),
 * recognised, diagnosed and turned into lenses from a catalog snapshot of a real nats-server
 * (the cache the editor reads), with warm parsers. Goal: ≤ 30 ms per file. Reported beside:
 *   parse   — the bare tree-sitter parse of the same text (the floor our pipeline sits on)
 *   first   — the first parse of each language in a fresh process-level pool (runtime +
 *             grammar load + parse), which an editor pays once per language
 *   refresh — one catalog snapshot (what the shared cache costs per explorer refresh)
 * Writes JSON to bench/results/ (git-ignored).
 *
 *   node --import tsx bench/lenses.bench.ts [--lines 5000] [--runs 15]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { natsCli, startNatsServer } from '../test/helpers/natsServer';
import { diagnose, editTree, recognise, type SourceLanguage } from '../src/core/lenses';
import { ParserPool } from '../src/treesitter';
import { Catalog } from '../src/nats/catalog';
import { loadCatalogFacts } from '../src/nats/catalogFacts';
import { lensesFor } from '../src/vscode/lenses/lensText';

const { values } = parseArgs({ options: { lines: { type: 'string' }, runs: { type: 'string' } } });
const LINES = Number(values.lines ?? 5000);
const RUNS = Number(values.runs ?? 15);

/** One block of typical NATS code per language; repeated (with fresh names) to the line count. */
const BLOCKS: Record<'typescript' | 'go' | 'python', (i: number) => string> = {
  typescript: (i) => `
// Handles orders of shard ${i}; processing takes up to 2m
export async function shard${i}(nc: NatsConnection, id: string) {
  const js = jetstream(nc);
  await js.publish(\`orders.\${id}.created\`, JSON.stringify({ id }));
  await js.publish('audit.events.${i}', '');
  nc.publish('notify.email', 'x');
  nc.subscribe('orders.*', { queue: 'workers' });
  const c = await js.consumers.get('ORDERS', 'worker');
  const messages = await c.consume();
  for await (const m of messages) {
    if (!m.data.length) m.nak();
    await handle(m.data);
    m.ack();
  }
  const kv = await new Kvm(nc).open('sessions');
  await kv.put('user.${i}', 'x');
  const w = await kv.watch({ key: 'user.>' });
  for await (const e of w) {
    if (e.isUpdate) console.log(e.key);
  }
  const total = [1, 2, 3].map((x) => x * 2).reduce((a, b) => a + b, 0);
  return total;
}
`,
  go: (i) => `
// Shard${i} handles orders; processing takes up to 2m.
func Shard${i}(ctx context.Context, nc *nats.Conn, id string) error {
	js, _ := jetstream.New(nc)
	_, _ = js.Publish(ctx, fmt.Sprintf("orders.%s.created", id), nil)
	_, _ = js.Publish(ctx, "audit.events.${i}", nil)
	nc.Publish("notify.email", nil)
	nc.QueueSubscribe("orders.*", "workers", func(m *nats.Msg) {})
	c, _ := js.Consumer(ctx, "ORDERS", "worker")
	_, err := c.Consume(func(m jetstream.Msg) {
		m.Ack()
	})
	kv, _ := js.KeyValue(ctx, "sessions")
	kv.Put(ctx, "user.${i}", []byte("x"))
	w, _ := kv.Watch(ctx, "user.>")
	for e := range w.Updates() {
		if e == nil {
			continue
		}
		fmt.Println(e.Key())
	}
	return err
}
`,
  python: (i) => `

async def shard_${i}(nc, order_id):
    """Handles orders; processing takes up to 2m."""
    js = nc.jetstream()
    await js.publish(f"orders.{order_id}.created", b"x")
    await js.publish("audit.events.${i}", b"")
    await nc.publish("notify.email", b"x")
    await nc.subscribe("orders.*", queue="workers")
    psub = await js.pull_subscribe("orders.>", durable="worker", stream="ORDERS")
    for msg in await psub.fetch(10):
        await msg.ack()
    kv = await js.key_value("sessions")
    await kv.put("user.${i}", b"x")
    w = await kv.watch("user.>")
    async for e in w:
        if e is None:
            continue
        print(e.key)
`,
};
/** Plain code without NATS calls, for the typical file (one NATS block in ten). */
const PLAIN: Record<'typescript' | 'go' | 'python', (i: number) => string> = {
  typescript: (i) => `
/** Totals of batch ${i}. */
export function total${i}(items: { price: number; qty: number }[]): number {
  let sum = 0;
  for (const it of items) {
    if (it.qty <= 0) continue;
    sum += it.price * it.qty;
  }
  const label = \`batch-${i}: \${sum.toFixed(2)}\`;
  console.log(label.padStart(20, ' '));
  return Math.round(sum * 100) / 100;
}
`,
  go: (i) => `
// Total${i} sums a batch.
func Total${i}(items []Item) float64 {
	sum := 0.0
	for _, it := range items {
		if it.Qty <= 0 {
			continue
		}
		sum += it.Price * float64(it.Qty)
	}
	fmt.Println(strings.Repeat(" ", 4), sum)
	return math.Round(sum*100) / 100
}
`,
  python: (i) => `

def total_${i}(items):
    """Sums batch ${i}."""
    total = 0
    for it in items:
        if it["qty"] <= 0:
            continue
        total += it["price"] * it["qty"]
    print(f"batch-${i}: {total:.2f}".rjust(20))
    return round(total, 2)
`,
};

const HEADERS = { typescript: "import { connect } from '@nats-io/transport-node';\n", go: 'package shards\n', python: 'import nats\n' };

/** `dense`: NATS code only; `typical`: one NATS block in ten, the rest plain code. */
function makeFile(lang: keyof typeof BLOCKS, kind: 'dense' | 'typical'): string {
  let text = HEADERS[lang];
  for (let i = 0; text.split('\n').length < LINES; i++) text += kind === 'dense' || i % 10 === 0 ? BLOCKS[lang](i) : PLAIN[lang](i);
  return text.split('\n').slice(0, LINES).join('\n') + '\n';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const server = await startNatsServer();
  try {
    for (const args of [
      ['stream', 'add', 'ORDERS', '--subjects', 'orders.>', '--defaults'],
      ['stream', 'add', 'AUDIT', '--subjects', 'audit.>', '--defaults'],
      ['consumer', 'add', 'ORDERS', 'worker', '--pull', '--defaults'],
      ['kv', 'add', 'sessions', '--history', '5'],
    ]) {
      const r = await natsCli(args, { server });
      if (r.code !== 0) throw new Error(`${r.command}: ${r.stderr}`);
    }
    const nc = await connect({ servers: server.url });
    const catalog = new Catalog(nc);
    const refreshes: number[] = [];
    let facts = await loadCatalogFacts(catalog, { consumersOf: ['ORDERS'] });
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      facts = await loadCatalogFacts(catalog, { consumersOf: ['ORDERS'] });
      refreshes.push(performance.now() - t);
    }
    await nc.close();

    const results: Record<string, unknown> = { lines: LINES, runs: RUNS, refreshMs: median(refreshes) };
    const rows: string[] = [];
    for (const lang of ['typescript', 'go', 'python'] as const) {
      // first parse: a fresh pool (the wasm runtime itself is shared by the process after the first language)
      const cold = new ParserPool();
      const t0 = performance.now();
      (await cold.parse(lang, makeFile(lang, 'typical'))).delete();
      const firstMs = performance.now() - t0;
      const pool = new ParserPool();
      const parser = await pool.parser(lang as SourceLanguage);
      const perKind: Record<string, unknown> = { firstParseMs: firstMs };
      for (const kind of ['typical', 'dense'] as const) {
        const text = makeFile(lang, kind);
        for (let i = 0; i < 3; i++) parser.parse(text)?.delete(); // warm
        const parse: number[] = [];
        const edit: number[] = [];
        const cached: number[] = [];
        const incremental: number[] = [];
        // a keystroke in the middle of the file: the kept tree is edited and re-parsed incrementally
        const at = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
        const typed = text.slice(0, at) + ' ' + text.slice(at);
        let kept = parser.parse(text)!;
        let rec = recognise(parser.parse(text)!, lang);
        let findings = 0;
        let lenses = 0;
        for (let i = 0; i < RUNS; i++) {
          let t = performance.now();
          parser.parse(text)!.delete();
          parse.push(performance.now() - t);
          // after an edit: parse, recognise, diagnose, lenses
          t = performance.now();
          const tree = parser.parse(text)!;
          rec = recognise(tree, lang);
          tree.delete();
          findings = diagnose(rec, { text, catalog: facts }).length;
          lenses = rec.calls.flatMap((c) => lensesFor(c, facts)).length;
          edit.push(performance.now() - t);
          // from the cache (document unchanged: a lens request, a catalog refresh): diagnose + lenses
          t = performance.now();
          diagnose(rec, { text, catalog: facts });
          rec.calls.flatMap((c) => lensesFor(c, facts));
          cached.push(performance.now() - t);
          // after a keystroke, incremental: edit the kept tree, re-parse, recognise, diagnose, lenses
          const [from, to] = i % 2 === 0 ? [text, typed] : [typed, text];
          t = performance.now();
          editTree(kept, from, i % 2 === 0 ? [{ offset: at, length: 0, text: ' ' }] : [{ offset: at, length: 1, text: '' }]);
          const next = parser.parse(to, kept)!;
          kept.delete();
          kept = next;
          const r2 = recognise(kept, lang);
          diagnose(r2, { text: to, catalog: facts });
          r2.calls.flatMap((c) => lensesFor(c, facts));
          incremental.push(performance.now() - t);
        }
        kept.delete();
        const r = { parseMs: median(parse), afterEditMs: median(edit), afterKeystrokeIncrementalMs: median(incremental), fromCacheMs: median(cached), calls: rec.calls.length, findings, lenses };
        perKind[kind] = r;
        rows.push(
          `${lang.padEnd(10)} ${kind.padEnd(7)} ${LINES} lines, ${String(r.calls).padStart(4)} calls: from cache ${r.fromCacheMs.toFixed(1)} ms ${r.fromCacheMs <= 30 ? '(≤ 30 ms ✓)' : '(> 30 ms ✗)'}; after a keystroke (incremental parse) ${r.afterKeystrokeIncrementalMs.toFixed(0)} ms${r.afterKeystrokeIncrementalMs <= 30 ? ' ✓' : ' ✗'}; full re-parse path ${r.afterEditMs.toFixed(0)} ms = ×${(r.afterEditMs / r.parseMs).toFixed(2)} the bare tree-sitter parse (${r.parseMs.toFixed(0)} ms)`,
        );
      }
      rows.push(`${lang.padEnd(10)} first parse (grammar load + parse of the typical file) ${firstMs.toFixed(0)} ms`);
      results[lang] = perKind;
    }
    results.loadAverage = loadavg();
    console.log(`[bench:lenses] load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores)`);
    console.log(`[bench:lenses] catalog snapshot (shared cache refresh) ${median(refreshes).toFixed(1)} ms`);
    for (const r of rows) console.log(`[bench:lenses] ${r}`);
    const outDir = join(__dirname, 'results');
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `lenses-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ node: process.version, ...results }, null, 2));
    console.log(`[bench:lenses] results in ${file}`);
  } finally {
    await server.stop();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
