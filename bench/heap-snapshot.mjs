// A page's heap through the Chrome DevTools Protocol, summed by what kind of object holds it.
//
// Why not only the heap size Chromium reports: V8 keeps compiling the page's hot functions for
// minutes (optimised code, feedback), and DevTools keeps the bodies of recent network requests.
// Both grow for a while and are capped, but over a two-minute soak they look like a leak. The
// objects a page's own code keeps alive are the JavaScript objects, strings and closures, without
// compiled code and without Blink's native objects (DOM nodes are counted on their own).

/** Snapshot node types that are not the page's own JavaScript data. */
const NOT_DATA = new Set(['code', 'native', 'synthetic']);

/**
 * Takes a heap snapshot (which collects garbage first) and sums it.
 * `bytes`: the page's JavaScript data; `byKind`: count and bytes per `type:constructor`, to name
 * what grew between two snapshots.
 *
 * @param {import('playwright-core').CDPSession} cdp
 * @returns {Promise<{ bytes: number, byKind: Map<string, { count: number, bytes: number }> }>}
 */
export async function heapSummary(cdp) {
  const chunks = [];
  const onChunk = ({ chunk }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  const { snapshot, nodes, strings } = JSON.parse(chunks.join(''));
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [TYPE, NAME, SIZE] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byKind = new Map();
  let bytes = 0;
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + TYPE]];
    if (NOT_DATA.has(type)) continue;
    const size = nodes[i + SIZE];
    bytes += size;
    // Strings by type only: their "name" is their text.
    const key = type.includes('string') ? type : `${type}:${strings[nodes[i + NAME]].slice(0, 60)}`;
    const kind = byKind.get(key) ?? { count: 0, bytes: 0 };
    kind.count++;
    kind.bytes += size;
    byKind.set(key, kind);
  }
  return { bytes, byKind };
}

/**
 * The kinds that grew most from `before` to `after`, largest first.
 *
 * @returns {{ kind: string, count: number, bytes: number }[]}
 */
export function grownKinds(before, after, top = 8) {
  const grown = [];
  for (const [kind, a] of after.byKind) {
    const b = before.byKind.get(kind) ?? { count: 0, bytes: 0 };
    if (a.bytes > b.bytes) grown.push({ kind, count: a.count - b.count, bytes: a.bytes - b.bytes });
  }
  return grown.sort((x, y) => y.bytes - x.bytes).slice(0, top);
}
