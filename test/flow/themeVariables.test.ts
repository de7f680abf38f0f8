import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { THEME_VARIABLES } from '../../src/flow/themeVariables';

describe('THEME_VARIABLES', () => {
  it('names every custom property styles.css declares, so the portalled dialog takes all of a theme', () => {
    const css = readFileSync(join(__dirname, '../../src/flow/styles.css'), 'utf8');
    const declared = new Set([...css.matchAll(/^\s*(--fp-[a-z0-9-]+)\s*:/gm)].map((m) => m[1]));
    expect([...THEME_VARIABLES].sort()).toEqual([...declared].sort());
  });
});
