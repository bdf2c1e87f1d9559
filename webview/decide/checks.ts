import type { DecideProtocol } from '../../src/shared/protocol';
import { checkCopyResult, checkCreateResult, checkScaffoldResult, checkViewState } from '../../src/shared/decideValidate';
import type { HostChecks } from '../components/host-client';

/** What the decide view accepts from the host. */
export const decideChecks: HostChecks<DecideProtocol> = {
  toWebview: { 'decide/state': checkViewState },
  results: { 'decide/run': checkViewState, 'decide/copyConfig': checkCopyResult, 'decide/create': checkCreateResult, 'decide/scaffold': checkScaffoldResult },
};
