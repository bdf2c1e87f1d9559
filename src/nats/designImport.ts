/**
 * Reads streams, consumers and KV buckets from a live server and hands them to the pure
 * design builder (src/core/design/fromServer.ts).
 */
import { designFromServer, type ImportResult, type LiveBucket, type LiveObjectStore, type LiveStream } from '../core/design';
import { toAdminError, type Admin } from './admin';
import { bucketFromStream, objectStoreFromStream } from './designApply';

export async function importDesign(admin: Admin, opts: { name?: string } = {}): Promise<ImportResult> {
  const jsm = await admin.jsm();
  const streams: LiveStream[] = [];
  const buckets: LiveBucket[] = [];
  const objectStores: LiveObjectStore[] = [];
  try {
    for await (const si of jsm.streams.list()) {
      const name = si.config.name;
      if (name.startsWith('OBJ_')) {
        objectStores.push({ config: objectStoreFromStream(name.slice(4), si.config) });
        continue;
      }
      if (name.startsWith('KV_')) {
        buckets.push({ config: bucketFromStream(name.slice(3), si.config) as unknown as LiveBucket['config'] });
        continue;
      }
      const consumers: LiveStream['consumers'] = [];
      for await (const ci of jsm.consumers.list(name)) if (ci.config.durable_name) consumers.push(ci.config as never);
      consumers.sort((a, b) => String(a.durable_name).localeCompare(String(b.durable_name)));
      streams.push({ config: si.config as never, consumers });
    }
  } catch (err) {
    throw toAdminError(err);
  }
  streams.sort((a, b) => a.config.name.localeCompare(b.config.name));
  buckets.sort((a, b) => a.config.bucket.localeCompare(b.config.bucket));
  objectStores.sort((a, b) => a.config.bucket.localeCompare(b.config.bucket));
  return designFromServer({ name: opts.name ?? 'imported', streams, buckets, objectStores });
}
