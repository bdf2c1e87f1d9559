// Setup for scripts/screenshots.mjs: code lenses over a TypeScript file and a diagnostic with
// its quick fix, against the seeded server (ORDERS with consumer fulfilment, KV config).
//   node scripts/screenshots.mjs --out /tmp/shots --setup scripts/screenshots/lenses.mjs
// writes lenses.png and lens-quickfix.png (copy them into docs/images/).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = `import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';

// A customer placed an order: the warehouse must ship it exactly once.
export async function placeOrder(id: string) {
  const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
  const js = jetstream(nc);
  await js.publish('orders.created', JSON.stringify({ id }));
  await js.publish(\`payments.\${id}.requested\`, '');
}

export async function fulfil() {
  const nc = await connect();
  const js = jetstream(nc);
  const c = await js.consumers.get('ORDERS', 'fulfilment');
  for await (const m of await c.consume()) {
    if (!(await ship(m.json()))) {
      m.nak();
      continue;
    }
    m.ack();
  }
}

export async function followFlags() {
  const nc = await connect();
  const kv = await new Kvm(nc).open('config');
  for await (const e of await kv.watch({ key: 'feature.>' })) {
    apply(e.key, e.string());
  }
}

declare function ship(o: unknown): Promise<boolean>;
declare function apply(k: string, v: string): void;
`;

export default async function setup({ workspace, settings }) {
  writeFileSync(join(workspace, 'orders.ts'), SOURCE);
  settings['editor.minimap.enabled'] = false;
  settings['editor.fontSize'] = 13;
  return {
    shots: async (page, { shoot, helpers: wb }) => {
      await wb.runCommand(page, 'View: Close All Editors');
      await wb.runCommand(page, 'View: Toggle Primary Side Bar Visibility'); // the editor gets the width
      // F1 then a file name (no ">") is quick open
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('orders.ts');
      await wb.pickQuickItem(page, 'orders.ts');
      await page.locator('.monaco-editor .codelens-decoration').filter({ hasText: /ORDERS/ }).first().waitFor({ timeout: 60_000 });
      await page.locator('.monaco-editor .codelens-decoration').filter({ hasText: /pending/ }).first().waitFor({ timeout: 30_000 });
      await wb.clearNotifications(page);
      await wb.settle(page);
      await shoot('lenses.png');
      // the bare nak() on line 19: go there and open the quick fixes
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill(':19:9');
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 30_000 });
      await wb.runCommand(page, 'Quick Fix...');
      await page.locator('.action-widget').filter({ hasText: /Nak with a delay/ }).first().waitFor({ timeout: 30_000 });
      await wb.settle(page);
      await shoot('lens-quickfix.png');
      await page.keyboard.press('Escape');
    },
  };
}
