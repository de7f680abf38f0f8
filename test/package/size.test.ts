// @vitest-environment node
/**
 * What apps ship, as `npm run size` measures it (esbuild, minified, gzip 9):
 * each entry stays under a ceiling a little above today's size, so bytes are
 * added on purpose, and each entry carries only what its layer may import.
 * Deterministic: the same sources and tools give the same bytes.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without declarations
import { ENTRIES, measure } from '../../scripts/measure-size.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Min+gzip ceilings in bytes. Raising one is a decision: say what the bytes buy
 * in the CHANGELOG. (`flowpulse` is over issue 2's 5 KB budget; see the README.)
 */
const CEILING: Record<string, number> = { flowpulse: 8_800, 'flowpulse/control': 1_250, 'flowpulse/protocol': 4_200 };

type Measured = { gzip: number; inputs: Record<string, { bytesInOutput: number }> };
const shipped = (m: Measured) => Object.keys(m.inputs).filter((file) => m.inputs[file]!.bytesInOutput > 0);

describe('entry sizes', () => {
  it.each(Object.entries(ENTRIES as Record<string, string>))('%s stays under its ceiling', async (name, entry) => {
    const { gzip } = (await measure(entry, { cwd: root })) as Measured;
    expect(gzip, `${name}: ${gzip} B min+gzip`).toBeLessThanOrEqual(CEILING[name]!);
  });

  it('each entry ships only its own layers: protocol has no dependency, the watching entry no run control and no server', async () => {
    const protocol = shipped(await measure(ENTRIES['flowpulse/protocol'], { cwd: root }));
    expect(protocol.filter((f) => !f.startsWith('src/protocol/'))).toEqual([]);
    const watching = shipped(await measure(ENTRIES.flowpulse, { cwd: root }));
    expect(watching.filter((f) => /^src\/(server|flow|control)\/|src\/core\/control/.test(f))).toEqual([]);
    expect(watching.filter((f) => f.includes('node_modules')).map((f) => f.replace(/.*node_modules\//, ''))).toEqual([
      'zustand/esm/vanilla.mjs',
    ]);
  });
});
