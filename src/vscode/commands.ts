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
  connectionRetryNow: 'natsFlow.connection.retryNow',
  explorerRefresh: 'natsFlow.explorer.refresh',
  // Explorer (src/vscode/explorer/explorerCommands.ts)
  explorerLoadMore: 'natsFlow.explorer.loadMore',
  explorerCopyName: 'natsFlow.explorer.copyName',
  explorerStreamReport: 'natsFlow.explorer.streamReport',
  explorerConsumerReport: 'natsFlow.explorer.consumerReport',
  configApply: 'natsFlow.config.apply',
  streamCreate: 'natsFlow.stream.create',
  streamEdit: 'natsFlow.stream.edit',
  streamDelete: 'natsFlow.stream.delete',
  streamPurge: 'natsFlow.stream.purge',
  streamCopyCliCommand: 'natsFlow.stream.copyCliCommand',
  streamCopySubjects: 'natsFlow.stream.copySubjects',
  consumerCreate: 'natsFlow.consumer.create',
  consumerEdit: 'natsFlow.consumer.edit',
  consumerDelete: 'natsFlow.consumer.delete',
  consumerPause: 'natsFlow.consumer.pause',
  consumerResume: 'natsFlow.consumer.resume',
  consumerReset: 'natsFlow.consumer.reset',
  consumerCopyCliCommand: 'natsFlow.consumer.copyCliCommand',
  messageGet: 'natsFlow.message.get',
  messageGetLast: 'natsFlow.message.getLast',
  messageDelete: 'natsFlow.message.delete',
  kvCreate: 'natsFlow.kv.create',
  kvEdit: 'natsFlow.kv.edit',
  kvDelete: 'natsFlow.kv.delete',
  kvSetKeyFilter: 'natsFlow.kv.setKeyFilter',
  kvGet: 'natsFlow.kv.get',
  kvPut: 'natsFlow.kv.put',
  kvCreateKey: 'natsFlow.kv.createKey',
  kvUpdate: 'natsFlow.kv.update',
  kvDeleteKey: 'natsFlow.kv.deleteKey',
  kvPurgeKey: 'natsFlow.kv.purgeKey',
  kvHistory: 'natsFlow.kv.history',
  objCreate: 'natsFlow.obj.create',
  objEdit: 'natsFlow.obj.edit',
  objDelete: 'natsFlow.obj.delete',
  objectGet: 'natsFlow.object.get',
  objectSave: 'natsFlow.object.save',
  objectPut: 'natsFlow.object.put',
  objectDelete: 'natsFlow.object.delete',
  decideOpen: 'natsFlow.decide.open',
  decideCreate: 'natsFlow.decide.create',
  // Scaffold (src/vscode/scaffold)
  scaffoldCreate: 'natsFlow.scaffold.create',
  scaffoldFromExplorer: 'natsFlow.scaffold.fromExplorer',
  scaffoldDesignPath: 'natsFlow.scaffold.designPath',
  scaffoldDesign: 'natsFlow.scaffold.design',
  // Code lenses and quick fixes (src/vscode/lenses)
  lensesCreateStream: 'natsFlow.lenses.createStream',
  // Flow designer (src/vscode/designer)
  designNew: 'natsFlow.design.new',
  designOpenJson: 'natsFlow.design.openJson',
  designOpenDesigner: 'natsFlow.design.openDesigner',
  designPlan: 'natsFlow.design.plan',
  designApply: 'natsFlow.design.apply',
  designExport: 'natsFlow.design.export',
  designImport: 'natsFlow.design.import',
  // Tail (src/vscode/tail/tailCommands.ts)
  tailOpen: 'natsFlow.tail.open',
  tailStream: 'natsFlow.tail.stream',
  tailPeekPending: 'natsFlow.tail.peekPending',
  tailWatch: 'natsFlow.tail.watch',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Context keys set with `setContext`, used in `when` clauses of package.json. */
export const ContextKeys = {
  connected: 'natsFlow.connected',
  hasProfiles: 'natsFlow.hasProfiles',
  /** The Decide panel shows a decision with a verdict: commands that act on it may show. */
  decideHasDecision: 'natsFlow.decide.hasDecision',
} as const;
