import type { DesignerProtocol } from '../../src/shared/designProtocol';
import {
  checkApplyResult,
  checkDocument,
  checkEditResult,
  checkExportResult,
  checkImportResult,
  checkLive,
  checkOpened,
  checkPreview,
  checkScaffoldResult,
  checkServer,
  checkTailResult,
} from '../../src/shared/designValidate';
import type { HostChecks } from '../components/host-client';

/** What the designer accepts from the host. */
export const designerChecks: HostChecks<DesignerProtocol> = {
  toWebview: { 'design/document': checkDocument, 'design/server': checkServer, 'design/live': checkLive },
  results: {
    'design/edit': checkEditResult,
    'design/preview': checkPreview,
    'design/apply': checkApplyResult,
    'design/export': checkExportResult,
    'design/openJson': checkOpened,
    'design/import': checkImportResult,
    'design/openTail': checkTailResult,
    'design/scaffold': checkScaffoldResult,
  },
};
