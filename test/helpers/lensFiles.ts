/**
 * Generated source files for the lens benchmark and the incremental-recognition tests: typical
 * NATS code in TypeScript, Go and Python, repeated with fresh names to a line count.
 */

/** One block of typical NATS code per language; repeated (with fresh names) to the line count. */
export const BLOCKS: Record<'typescript' | 'go' | 'python', (i: number) => string> = {
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
export const PLAIN: Record<'typescript' | 'go' | 'python', (i: number) => string> = {
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

export const HEADERS = { typescript: "import { connect } from '@nats-io/transport-node';\n", go: 'package shards\n', python: 'import nats\n' };

/** `dense`: NATS code only; `typical`: one NATS block in ten, the rest plain code. */
export function makeFile(lang: keyof typeof BLOCKS, kind: 'dense' | 'typical', lines: number): string {
  // whole blocks only, so the file parses without errors (a cut block would be re-read on every edit)
  let text = HEADERS[lang];
  let count = 1;
  for (let i = 0; count < lines; i++) {
    const block = kind === 'dense' || i % 10 === 0 ? BLOCKS[lang](i) : PLAIN[lang](i);
    text += block;
    count += block.split('\n').length - 1;
  }
  return text;
}

