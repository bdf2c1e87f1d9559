/** What an exporter produces: files relative to the output folder (one file for single-file formats). */
export interface ExportFile {
  path: string;
  content: string;
  /** Executable (the natscli setup script). */
  executable?: boolean;
}

export interface ExportResult {
  files: ExportFile[];
  /** Things the target cannot express, said once each. */
  notes: string[];
}

/** Quotes for a POSIX shell when needed. */
export function sh(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A Kubernetes object name (RFC 1123 label): lower case, digits and "-". */
export function k8sName(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'x'
  );
}
