import type { ConnectionProfile } from '../../nats/profile';
import { log } from '../log';
import type { ProfileStore } from './profileStore';

/**
 * Reads natscli contexts and NATS_URL into the store as read-only profiles. Called after
 * activation (off the activation path) and again before importing contexts, so contexts
 * added while VS Code runs show up.
 */
export async function loadExternalProfiles(profiles: ProfileStore): Promise<void> {
  const external: ConnectionProfile[] = [];
  try {
    const { listContexts, selectedContextName, contextToProfile } = await import('../../nats/natsContext');
    const selected = selectedContextName();
    for (const ctx of listContexts()) {
      if ('error' in ctx && ctx.error) {
        log().warn(`natscli context ${ctx.name}: ${ctx.error}`);
        continue;
      }
      const { profile, secrets, warnings } = contextToProfile(ctx.name, ctx.context!);
      for (const w of warnings ?? []) log().warn(`natscli context ${ctx.name}: ${w}`);
      profile.description = `${profile.description ?? 'natscli context'}${ctx.name === selected ? ' (selected)' : ''}`;
      profiles.externalSecrets.set(profile.id, secrets);
      external.push(profile);
    }
  } catch (err) {
    log().warn(`reading natscli contexts: ${err instanceof Error ? err.message : String(err)}`);
  }
  const env = profiles.envProfile();
  if (env) external.push(env);
  profiles.setExternal(external);
  for (const p of profiles.problems) log().warn(`${p.where}: ${p.message}`);
}
