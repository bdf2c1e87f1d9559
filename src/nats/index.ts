/**
 * The public face of src/nats: connection profiles, opening connections, what the server
 * can do, and natscli contexts. Other layers import from here, not from the files.
 */
export { AUTH_KINDS, describeServers, jetStreamOptions, redactServerUrl, splitServers } from './profile';
export type { AuthKind, ConnectionProfile, ProfileSecrets, ProfileSource, TlsSettings } from './profile';
export { ConnectionError, buildConnectOptions, classifyConnectError, expandHome, openConnection } from './connect';
export type { ConnectionErrorKind, OpenConnectionOptions } from './connect';
export { SERVER_FEATURES, compareVersions, describeServer, featureTable, serverSupports } from './serverInfo';
export type { DescribeServerOptions, FeatureSupport, ServerFeature, ServerSummary } from './serverInfo';
export { contextToProfile, listContexts, natsConfigDir, readContext, selectedContextName } from './natsContext';
export type { ContextProfile, NatsContextEntry, NatsContextFile, NatsContextOptions } from './natsContext';
export * from './catalog';
export * from './admin';
export * from './templates';
export * from './jetstreamClient';
