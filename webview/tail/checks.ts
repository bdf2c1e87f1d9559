import type { TailProtocol } from '../../src/shared/protocol';
import { tailWebviewChecks } from '../../src/shared/tailValidate';
import type { HostChecks } from '../components/host-client';

/** What the tail view accepts from the host. */
export const tailChecks: HostChecks<TailProtocol> = tailWebviewChecks;
