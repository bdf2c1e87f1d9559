import type { ReportProtocol } from '../../src/shared/protocol';
import { checkReportViewState } from '../../src/shared/reportValidate';
import type { HostChecks } from '../components/host-client';

/** What the report view accepts from the host. */
export const reportChecks: HostChecks<ReportProtocol> = {
  toWebview: { 'report/state': checkReportViewState },
  results: { 'report/refresh': checkReportViewState },
};
