/** A codicon from @vscode/codicons (the stylesheet is linked by webviewHtml.ts). */
export function Codicon({ name, label, spin, className }: { name: string; label?: string; spin?: boolean; className?: string }) {
  // names come from our own code; keep them to codicon characters so a class list cannot be injected
  const safe = /^[a-z0-9-]+$/.test(name) ? name : 'question';
  const classes = ['codicon', `codicon-${safe}`, spin ? 'codicon-modifier-spin' : '', className ?? ''].filter(Boolean).join(' ');
  return label ? <span className={classes} role="img" aria-label={label} title={label} /> : <span className={classes} aria-hidden="true" />;
}
