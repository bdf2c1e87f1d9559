/**
 * What a server already holds that a suggested configuration could collide with: every
 * stream with its subjects and retention (KV buckets are the `KV_` streams), and the
 * consumers of the streams the caller names. Feeds src/core/decide/collisions.ts.
 */
import type { ExistingObjects } from '../core/decide';
import type { JetStreamClient } from './jetstreamClient';

/** The consumer names of `stream` ([] when it does not exist). */
export async function consumerNames(client: JetStreamClient, stream: string): Promise<string[]> {
  const jsm = await client.jsm();
  const list: string[] = [];
  try {
    for await (const ci of jsm.consumers.list(stream)) list.push(ci.name);
  } catch {
    return [];
  }
  return list;
}

export async function existingObjects(client: JetStreamClient, consumersOf: readonly string[] = []): Promise<ExistingObjects> {
  const jsm = await client.jsm();
  const streams: ExistingObjects['streams'] = [];
  const buckets: string[] = [];
  for await (const si of jsm.streams.list()) {
    streams.push({ name: si.config.name, subjects: si.config.subjects ?? [], retention: si.config.retention });
    if (si.config.name.startsWith('KV_')) buckets.push(si.config.name.slice(3));
  }
  const consumers: Record<string, string[]> = {};
  for (const name of consumersOf) {
    if (streams.some((s) => s.name === name)) consumers[name] = await consumerNames(client, name);
  }
  return { streams, buckets, consumers };
}
