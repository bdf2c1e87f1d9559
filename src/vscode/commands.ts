/**
 * Every command id the extension registers, in one place. `test/unit/manifest.test.ts`
 * checks package.json's contributes against this map, both ways.
 */
export const Commands = {
  connectionAdd: 'natsFlow.connection.add',
  connectionEdit: 'natsFlow.connection.edit',
  connectionRemove: 'natsFlow.connection.remove',
  connectionConnect: 'natsFlow.connection.connect',
  connectionDisconnect: 'natsFlow.connection.disconnect',
  connectionSwitch: 'natsFlow.connection.switch',
  connectionImportContexts: 'natsFlow.connection.importContexts',
  connectionShowLog: 'natsFlow.connection.showLog',
  explorerRefresh: 'natsFlow.explorer.refresh',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Context keys set with `setContext`, used in `when` clauses of package.json. */
export const ContextKeys = {
  connected: 'natsFlow.connected',
  hasProfiles: 'natsFlow.hasProfiles',
} as const;
