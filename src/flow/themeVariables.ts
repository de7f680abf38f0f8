/**
 * Every custom property styles.css declares. A dialog portalled to the body
 * copies their values from its node, so an app's theme reaches it wherever the
 * app set it (test/flow checks this list against styles.css).
 *
 * @example
 * for (const name of THEME_VARIABLES) box.style.setProperty(name, getComputedStyle(node).getPropertyValue(name));
 */
export const THEME_VARIABLES = [
  '--fp-accent',
  '--fp-backdrop',
  '--fp-badge-bg',
  '--fp-badge-text',
  '--fp-border',
  '--fp-busy',
  '--fp-color-completed',
  '--fp-color-current',
  '--fp-color-error',
  '--fp-color-flow',
  '--fp-color-pending',
  '--fp-color-running',
  '--fp-color-unknown',
  '--fp-error-bg',
  '--fp-error-text',
  '--fp-flow-dash',
  '--fp-flow-dash-duration',
  '--fp-flow-marker-stroke',
  '--fp-flow-width',
  '--fp-focus',
  '--fp-font',
  '--fp-icon-text',
  '--fp-mono',
  '--fp-node-border',
  '--fp-node-stalled',
  '--fp-node-stalled-text',
  '--fp-node-text',
  '--fp-node-width',
  '--fp-notice-bg',
  '--fp-notice-border',
  '--fp-notice-text',
  '--fp-ok',
  '--fp-pulse-duration',
  '--fp-pulse-opacity',
  '--fp-stalled',
  '--fp-surface',
  '--fp-surface-2',
  '--fp-text',
  '--fp-text-muted',
  '--fp-tooltip-bg',
  '--fp-tooltip-text',
  '--fp-warning-text',
] as const;
