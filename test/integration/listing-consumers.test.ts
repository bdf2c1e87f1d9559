/**
 * Listing KV keys and objects leaves nothing on the server (issue 8, item 1): the consumer
 * count of the backing stream, as natscli reports it, is the same before and right after a
 * listing, after paging and after several refreshes. Keys come sorted, deleted and purged
 * keys are left out. Objects written by natscli (which leaves `mtime` zero) get the time and
 * revision of their metadata message (item 5).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { findNatsServer29, natsCliSkipReason, natsServer29SkipReason } from '../helpers/binaries';
import { makeTempDir, natsCliOn, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { Catalog } from '../../src/nats/catalog';
import { Admin } from '../../src/nats/admin';
import { kvOperation, readLastPerSubject } from '../../src/nats/lastPerSubject';

for (const variant of ['current', '2.9'] as const) {
  const skip = natsCliSkipReason() || (variant === '2.9' ? natsServer29SkipReason() : false);
  describe(`listing keys and objects leaves no consumer behind (${variant} server)`, { skip }, () => {
    let server: NatsServer;
    let nc: NatsConnection;
    let catalog: Catalog;
    const { cli, cliJson } = natsCliOn(() => server);
    const consumerCount = async (stream: string) => (await cliJson<{ state: { consumer_count: number } }>('stream', 'info', stream)).state.consumer_count;

    before(async () => {
      server = await startNatsServer(variant === '2.9' ? { binary: findNatsServer29()!.path } : {});
      nc = await connect({ servers: server.url });
      catalog = new Catalog(nc);
      await cli('kv', 'add', 'big', '--history', '3');
      const kv = await new Kvm(nc).open('big');
      // written in reverse so the server's order is not the sorted order
      const puts: Promise<number>[] = [];
      for (let i = 599; i >= 0; i--) puts.push(kv.put(`k.${String(i).padStart(4, '0')}`, `v${i}`));
      await Promise.all(puts);
      await kv.delete('k.0001');
      await kv.purge('k.0002');
      await kv.put('k.0003', 'again');
      await cli('object', 'add', 'files');
    });
    after(async () => {
      await nc?.close();
      await server?.stop();
    });

    test('key pages are sorted, complete, without deleted or purged keys, and leave no consumer', async () => {
      const before = await consumerCount('KV_big');
      const seen: string[] = [];
      let offset: number | undefined = 0;
      while (offset !== undefined) {
        const page: Awaited<ReturnType<Catalog['kvKeys']>> = await catalog.kvKeys('big', { offset, limit: 256 });
        seen.push(...page.items);
        assert.equal(page.total, 598);
        offset = page.next;
      }
      assert.equal(seen.length, 598);
      assert.deepEqual(seen, [...seen].sort());
      assert.ok(!seen.includes('k.0001') && !seen.includes('k.0002') && seen.includes('k.0003'));
      assert.equal(await consumerCount('KV_big'), before, 'paging through the keys left a consumer on KV_big');
      for (let i = 0; i < 5; i++) await catalog.kvKeys('big', { offset: 0, limit: 50 });
      assert.equal(await consumerCount('KV_big'), before, 'refreshing the key list left consumers on KV_big');
      await assert.rejects(catalog.kvKeys('big', { filter: 'k.001*' }), /"\*" must be a whole token/, 'a bad filter is refused before any request');
      const one = await catalog.kvKeys('big', { filter: 'k.0010' });
      assert.deepEqual(one.items, ['k.0010']);
      assert.equal(await consumerCount('KV_big'), before);
    });

    test('a read spanning many pulls gets every key once, and deletes its consumer', async () => {
      const before = await consumerCount('KV_big');
      const msgs = await readLastPerSubject(nc, { prefix: '$JS.API', stream: 'KV_big', filter: '$KV.big.>', headersOnly: true, timeoutMs: 5000, batch: 37 });
      const keys = msgs.filter((m) => kvOperation(m.headers) === 'PUT').map((m) => m.subject);
      assert.equal(new Set(keys).size, keys.length, 'no key twice');
      assert.ok(keys.length >= 598, `${keys.length} keys`);
      assert.deepEqual(msgs.filter((m) => kvOperation(m.headers) !== 'PUT').map((m) => m.subject).sort(), ['$KV.big.k.0001', '$KV.big.k.0002']);
      assert.equal(await consumerCount('KV_big'), before);
    });

    test('a refresh (offset 0) sees keys written since; later pages reuse the list', async () => {
      const kv = await new Kvm(nc).open('big');
      await kv.put('a.first', '1');
      const page = await catalog.kvKeys('big', { offset: 0, limit: 1 });
      assert.deepEqual(page.items, ['a.first']);
      await kv.put('a.second', '2');
      const next = await catalog.kvKeys('big', { offset: 1, limit: 1 });
      assert.deepEqual(next.items, ['k.0000'], 'page 2 comes from the list read for page 1');
      const again = await catalog.kvKeys('big', { offset: 0, limit: 2 });
      assert.deepEqual(again.items, ['a.first', 'a.second']);
    });

    test('objects put by natscli show the metadata message time and revision, and listing leaves no consumer', async () => {
      const dir = makeTempDir('nf-objs-');
      for (const name of ['b.txt', 'a.txt']) {
        const file = join(dir, name);
        writeFileSync(file, `content of ${name}`);
        await cli('object', 'put', 'files', file, '--name', name, '--force');
      }
      const before = await consumerCount('OBJ_files');
      const started = Date.now();
      const page = await catalog.objects('files');
      assert.deepEqual(page.items.map((o) => o.name), ['a.txt', 'b.txt']);
      for (const o of page.items) {
        const t = Date.parse(o.modified);
        assert.ok(Number.isFinite(t) && Math.abs(started - t) < 120_000, `modified ${o.modified} is the time of the put`);
        assert.ok(Number.isInteger(o.revision) && o.revision > 0, `revision ${o.revision}`);
      }
      assert.equal(await consumerCount('OBJ_files'), before, 'listing objects left a consumer on OBJ_files');
      for (let i = 0; i < 3; i++) await catalog.objects('files');
      assert.equal(await consumerCount('OBJ_files'), before);
      const info = await new Admin(nc).objectInfo('files', 'a.txt');
      assert.ok(info && Math.abs(Date.parse(info.modified) - started) < 120_000, `objectInfo modified ${info?.modified}`);
      assert.equal(info!.revision, page.items[0].revision);
    });

    test('missing bucket and store are named', async () => {
      await assert.rejects(catalog.kvKeys('nosuch'), /KV bucket nosuch does not exist/);
      await assert.rejects(catalog.objects('nosuch'), /object store nosuch does not exist/);
    });
  });
}
