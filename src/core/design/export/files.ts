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

/**
 * YAML written for YAML 1.1 readers too (PyYAML in docker-compose 1.x, go-yaml v2 behind
 * Kubernetes' sigs.k8s.io/yaml): strings such as "no", "on", "y" are quoted, or they would
 * be read as booleans. Long lines are not folded.
 */
export const YAML_11 = { version: '1.1', lineWidth: 0 } as const;

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
