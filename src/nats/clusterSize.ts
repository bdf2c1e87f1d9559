/**
 * How many replicas the connected JetStream can hold, from what the server says about itself
 * to any client (no system account needed): a server that is not part of a cluster names no
 * `cluster` in its INFO and refuses replicas > 1 ("replicas > 1 not supported in non-clustered
 * mode"); a clustered one gossips every member's client URLs in `connect_urls` (itself
 * included). When JetStream answers from elsewhere (a domain or API prefix, a leaf node) or
 * the cluster does not advertise, the size is unknown and the server has the last word.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { ReplicaLimit } from '../core/design/replicas';

export function jetStreamReplicaLimit(nc: NatsConnection, opts: { domain?: string; apiPrefix?: string } = {}): ReplicaLimit {
  const info = nc.info;
  if (!info) return { describe: 'the server (its INFO is not known)' };
  if (opts.domain || opts.apiPrefix) return { describe: `JetStream ${opts.domain ? `domain "${opts.domain}"` : `at API prefix ${opts.apiPrefix}`} (its cluster size is not known from here)` };
  const name = `nats-server ${info.version} "${info.server_name}"`;
  if (!info.cluster) {
    // a leaf node forwards JetStream to its hub, whose size it does not tell
    if (info.jetstream === false) return { describe: `${name} (JetStream is elsewhere; its cluster size is not known from here)` };
    return { max: 1, describe: `${name} is a single server (not clustered)` };
  }
  const urls = new Set(info.connect_urls ?? []);
  if (!urls.size) return { describe: `cluster "${info.cluster}" (it does not advertise its servers, so its size is not known)` };
  return { max: Math.min(urls.size, 5), describe: `cluster "${info.cluster}" of ${urls.size} server${urls.size === 1 ? '' : 's'}` };
}
