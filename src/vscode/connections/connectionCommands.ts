import * as vscode from 'vscode';
import { AUTH_KINDS, describeServers, splitServers, type AuthKind, type ConnectionProfile, type ProfileSecrets } from '../../nats/profile';
import { Commands } from '../commands';
import { log } from '../log';
import { registerCommand } from '../registerCommand';
import type { ConnectionService, ConnectionSnapshot } from './connectionService';
import { loadExternalProfiles } from './externalProfiles';
import { checkServerUrl, parseStoredProfile, type ProfileStore } from './profileStore';

/** Arguments accepted by add/edit so scripts and tests can skip the prompts. */
export interface ProfileInput {
  id?: string;
  name: string;
  servers: string | string[];
  auth?: AuthKind;
  user?: string;
  credsFile?: string;
  tls?: { ca?: string; cert?: string; key?: string };
  description?: string;
  password?: string;
  token?: string;
  nkeySeed?: string;
}

const AUTH_LABELS: Record<AuthKind, string> = {
  none: 'No authentication',
  token: 'Token',
  userPassword: 'User and password',
  nkey: 'NKey seed',
  creds: 'Credentials file (.creds: JWT + NKey)',
};

/** Something that names a profile: its id, a tree node carrying `profileId`, or nothing (ask). */
type ProfileRef = string | { profileId?: string } | undefined;

export function registerConnectionCommands(context: vscode.ExtensionContext, store: ProfileStore, connections: ConnectionService): void {
  const resolve = async (ref: ProfileRef, placeHolder: string): Promise<ConnectionProfile | undefined> => {
    const id = typeof ref === 'string' ? ref : ref?.profileId;
    if (id) {
      const p = store.get(id);
      if (!p) throw new Error(`No connection profile with id "${id}".`);
      return p;
    }
    return pickProfile(store, connections.current, placeHolder);
  };

  registerCommand(context, Commands.connectionAdd, async (input?: ProfileInput) => {
    const result = input ? fromInput(input, undefined) : await promptProfile(undefined);
    if (!result) return undefined;
    if (store.get(result.profile.id)?.source === 'user' || store.get(result.profile.id)?.source === 'workspace') {
      throw new Error(`A connection profile with id "${result.profile.id}" already exists; use "NATS: Edit Connection" to change it.`);
    }
    await store.save(result.profile, result.secrets);
    log().info(`added connection profile "${result.profile.name}"`);
    const connect = input ? true : (await vscode.window.showInformationMessage(`Added connection "${result.profile.name}".`, 'Connect')) === 'Connect';
    if (connect) return connectAndReport(result.profile);
    return result.profile.id;
  });

  registerCommand(context, Commands.connectionEdit, async (ref?: ProfileRef, input?: Partial<ProfileInput>) => {
    const existing = await resolve(ref, 'Connection to edit');
    if (!existing) return undefined;
    if (existing.source === 'context' || existing.source === 'env') {
      throw new Error(`"${existing.name}" comes from ${existing.source === 'context' ? `natscli context "${existing.contextName}"` : 'NATS_URL'}; import it first ("NATS: Import natscli Contexts") to edit it here.`);
    }
    const result = input ? fromInput({ ...existing, ...input, id: existing.id, name: input.name ?? existing.name, servers: input.servers ?? existing.servers }, existing) : await promptProfile(existing);
    if (!result) return undefined;
    await store.save(result.profile, result.secrets);
    log().info(`edited connection profile "${result.profile.name}"`);
    if (connections.current.profile?.id === existing.id && connections.current.state !== 'disconnected') await connectAndReport(result.profile);
    return result.profile.id;
  });

  registerCommand(context, Commands.connectionRemove, async (ref?: ProfileRef, options?: { confirmed?: boolean }) => {
    const p = await resolve(ref, 'Connection to remove');
    if (!p) return false;
    if (p.source !== 'user') throw new Error(`"${p.name}" is not a user profile (it comes from ${p.source}); remove it where it is defined.`);
    if (!options?.confirmed) {
      const answer = await vscode.window.showWarningMessage(`Remove connection profile "${p.name}" (${describeServers(p.servers)})?`, { modal: true, detail: 'Its stored secrets are deleted from VS Code secret storage too.' }, 'Remove');
      if (answer !== 'Remove') return false;
    }
    if (connections.current.profile?.id === p.id) await connections.disconnect();
    const removed = await store.remove(p.id);
    log().info(`removed connection profile "${p.name}"`);
    return removed;
  });

  const connectAndReport = async (p: ConnectionProfile): Promise<ConnectionSnapshot> => {
    const s = await connections.connect(p);
    if (s.state === 'failed' && s.error) {
      void vscode.window.showErrorMessage(`NATS: ${s.error.message}${s.error.hint ? ` ${s.error.hint}` : ''}`, 'Edit Connection', 'Show Log').then((a) => {
        if (a === 'Edit Connection') void vscode.commands.executeCommand(Commands.connectionEdit, p.id);
        if (a === 'Show Log') log().show();
      });
    } else if (s.state === 'connected' && s.server && !s.server.jetstream) {
      void vscode.window.showWarningMessage(`NATS: connected to "${p.name}", but JetStream is not enabled there: streams, KV and object stores are unavailable.`);
    }
    return s;
  };

  registerCommand(context, Commands.connectionConnect, async (ref?: ProfileRef) => {
    const p = await resolve(ref, 'Connect to');
    return p ? connectAndReport(p) : undefined;
  });

  registerCommand(context, Commands.connectionDisconnect, async () => {
    await connections.disconnect();
    return connections.current;
  });

  registerCommand(context, Commands.connectionSwitch, async () => {
    const p = await pickProfile(store, connections.current, 'Switch NATS connection', true);
    return p ? connectAndReport(p) : undefined;
  });

  registerCommand(context, Commands.connectionShowLog, () => log().show());

  registerCommand(context, Commands.connectionRetryNow, async () => {
    const s = await connections.retryNow();
    if (s.state === 'connected') void vscode.window.showInformationMessage(`NATS: reconnected to "${s.profile?.name}".`);
    return s;
  });

  registerCommand(context, Commands.connectionImportContexts, async (names?: string[]) => {
    await loadExternalProfiles(store);
    const contexts = store.all().filter((p) => p.source === 'context');
    if (contexts.length === 0) {
      void vscode.window.showInformationMessage('No natscli contexts found (looked in ~/.config/nats/context).');
      return [];
    }
    let chosen: ConnectionProfile[];
    if (names) chosen = contexts.filter((c) => names.includes(c.contextName ?? ''));
    else {
      const picks = await vscode.window.showQuickPick(
        contexts.map((c) => ({ label: c.contextName ?? c.name, description: describeServers(c.servers), detail: c.description, picked: true, profile: c })),
        { canPickMany: true, placeHolder: 'natscli contexts to import as connection profiles' },
      );
      if (!picks) return [];
      chosen = picks.map((p) => p.profile);
    }
    const imported: string[] = [];
    for (const c of chosen) {
      const id = `context:${c.contextName}`;
      await store.save({ ...c, id, source: 'user' }, store.externalSecrets.get(c.id) ?? {});
      imported.push(id);
    }
    log().info(`imported natscli contexts: ${chosen.map((c) => c.contextName).join(', ')}`);
    return imported;
  });
}

async function pickProfile(store: ProfileStore, current: ConnectionSnapshot, placeHolder: string, withActions = false): Promise<ConnectionProfile | undefined> {
  type Item = vscode.QuickPickItem & { profile?: ConnectionProfile; action?: string };
  const items: Item[] = store.all().map((p) => ({
    label: `${current.profile?.id === p.id && current.state === 'connected' ? '$(pass-filled)' : '$(plug)'} ${p.name}`,
    description: describeServers(p.servers),
    detail: [p.source === 'context' ? `natscli context ${p.contextName}` : p.source === 'env' ? 'NATS_URL' : p.source === 'workspace' ? 'workspace settings' : '', p.auth !== 'none' ? AUTH_LABELS[p.auth] : ''].filter(Boolean).join(' · ') || undefined,
    profile: p,
  }));
  if (withActions) {
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(add) Add Connection…', action: Commands.connectionAdd });
    if (current.state !== 'disconnected') items.push({ label: '$(debug-disconnect) Disconnect', action: Commands.connectionDisconnect });
  }
  if (items.length === 0) {
    const a = await vscode.window.showInformationMessage('No NATS connections yet.', 'Add Connection');
    if (a) await vscode.commands.executeCommand(Commands.connectionAdd);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  if (pick?.action) {
    await vscode.commands.executeCommand(pick.action);
    return undefined;
  }
  return pick?.profile;
}

function fromInput(input: ProfileInput, existing: ConnectionProfile | undefined): { profile: ConnectionProfile; secrets: ProfileSecrets | undefined } {
  const id = input.id ?? existing?.id ?? `user:${input.name}`;
  const parsed = parseStoredProfile({ ...input, id }, 'user');
  if (typeof parsed === 'string') throw new Error(`Connection profile not saved: ${parsed}.`);
  parsed.source = 'user';
  const given = { password: input.password, token: input.token, nkeySeed: input.nkeySeed };
  const hasSecret = Object.values(given).some((v) => v !== undefined);
  if (parsed.auth === 'token' && !given.token && !existing) throw new Error(`Connection profile "${parsed.name}" uses token auth but no token was given.`);
  if (parsed.auth === 'nkey' && given.nkeySeed !== undefined && !/^SU[A-Z2-7]{50,}$/.test(given.nkeySeed.trim())) throw new Error(`Connection profile "${parsed.name}": the NKey seed must be a user seed starting with "SU".`);
  return { profile: parsed, secrets: hasSecret ? given : undefined };
}

/** The interactive add/edit flow. Secrets asked for are masked; leaving one empty on edit keeps it. */
async function promptProfile(existing: ConnectionProfile | undefined): Promise<{ profile: ConnectionProfile; secrets: ProfileSecrets | undefined } | undefined> {
  const title = existing ? `Edit NATS Connection "${existing.name}"` : 'Add NATS Connection';
  const name = await vscode.window.showInputBox({ title, prompt: 'A name for this connection', value: existing?.name ?? '', validateInput: (v) => (v.trim() ? undefined : 'A name is required') });
  if (name === undefined) return undefined;
  const servers = await vscode.window.showInputBox({
    title,
    prompt: 'Server URL, or several separated by commas',
    value: existing?.servers.join(',') ?? 'nats://127.0.0.1:4222',
    validateInput: (v) => {
      const list = splitServers(v);
      if (list.length === 0) return 'At least one server URL is required';
      for (const s of list) {
        const problem = checkServerUrl(s);
        if (problem) return problem;
      }
      return undefined;
    },
  });
  if (servers === undefined) return undefined;
  const authPick = await vscode.window.showQuickPick(
    AUTH_KINDS.map((k) => ({ label: AUTH_LABELS[k], kind_: k, picked: existing?.auth === k })),
    { title, placeHolder: 'Authentication' },
  );
  if (!authPick) return undefined;
  const auth = authPick.kind_;
  const input: ProfileInput = { id: existing?.id, name: name.trim(), servers, auth, description: existing?.description };
  const keep = existing ? ' (leave empty to keep the stored one)' : '';
  if (auth === 'token') {
    const token = await vscode.window.showInputBox({ title, prompt: `Token${keep}`, password: true, validateInput: (v) => (v || existing ? undefined : 'A token is required') });
    if (token === undefined) return undefined;
    if (token) input.token = token;
  } else if (auth === 'userPassword') {
    const user = await vscode.window.showInputBox({ title, prompt: 'User', value: existing?.user ?? '', validateInput: (v) => (v ? undefined : 'A user is required') });
    if (user === undefined) return undefined;
    const password = await vscode.window.showInputBox({ title, prompt: `Password for ${user}${keep}`, password: true });
    if (password === undefined) return undefined;
    input.user = user;
    if (password) input.password = password;
  } else if (auth === 'nkey') {
    const seed = await vscode.window.showInputBox({ title, prompt: `NKey user seed (SU…)${keep}`, password: true, validateInput: (v) => (!v && existing ? undefined : /^SU[A-Z2-7]{50,}$/.test(v.trim()) ? undefined : 'An NKey user seed starts with "SU"') });
    if (seed === undefined) return undefined;
    if (seed) input.nkeySeed = seed.trim();
  } else if (auth === 'creds') {
    const file = await vscode.window.showOpenDialog({ title: 'Credentials file', canSelectMany: false, filters: { 'NATS credentials': ['creds'], 'All files': ['*'] } });
    if (!file?.[0]) return undefined;
    input.credsFile = file[0].fsPath;
  }
  const tlsPick = await vscode.window.showQuickPick(
    [
      { label: 'No custom TLS', value: 'none' as const, description: 'plain, or TLS verified with the system CAs' },
      { label: 'Custom CA', value: 'ca' as const, description: 'verify the server with a CA file' },
      { label: 'Mutual TLS', value: 'mutual' as const, description: 'CA, client certificate and key' },
    ],
    { title, placeHolder: 'TLS' },
  );
  if (!tlsPick) return undefined;
  if (tlsPick.value !== 'none') {
    const pem = (label: string) => vscode.window.showOpenDialog({ title: label, canSelectMany: false, filters: { PEM: ['pem', 'crt', 'key', 'cer'], 'All files': ['*'] } }).then((u) => u?.[0]?.fsPath);
    const ca = await pem('CA certificate');
    if (!ca) return undefined;
    input.tls = { ca };
    if (tlsPick.value === 'mutual') {
      const cert = await pem('Client certificate');
      const key = cert ? await pem('Client key') : undefined;
      if (!cert || !key) return undefined;
      input.tls = { ca, cert, key };
    }
  }
  return fromInput(input, existing);
}
