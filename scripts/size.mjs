// Prints the min+gzip size of the `flowpulse` entry (hook + store + protocol),
// with its own dependency zustand bundled in and the peers (react, react-dom) left out,
// then where the entry's bytes come from, so a budget decision has facts to go on.
// `flowpulse` is what an app that watches runs pays: hooks, provider, store,
// connection and protocol. Run control (REST) is its own entry.
import { ENTRIES, measure } from './measure-size.mjs';

const budget = { flowpulse: 5 * 1024 };

let breakdown;
for (const [name, entry] of Object.entries(ENTRIES)) {
  const { min, gzip, brotli, inputs } = await measure(entry);
  const limit = budget[name];
  const verdict = limit ? (gzip <= limit ? `within the ${limit} B budget` : `OVER the ${limit} B budget`) : '';
  console.log(
    `${name.padEnd(20)} min ${String(min).padStart(6)} B   min+gzip ${String(gzip).padStart(5)} B   brotli ${String(brotli).padStart(5)} B   ${verdict}`,
  );
  if (name === 'flowpulse') breakdown = Object.entries(inputs);
}

// Minified bytes per source file; gzip shares repeats across files, so these add up to more than the total.
console.log('\nflowpulse, minified bytes per file:');
for (const [file, { bytesInOutput }] of breakdown
  .filter(([, i]) => i.bytesInOutput > 0)
  .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) {
  console.log(`  ${String(bytesInOutput).padStart(6)}  ${file}`);
}
// A report, not a gate: the figure goes in the release notes either way. test/package/size.test.ts keeps it from creeping.
