import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, 'fixtures', 'messages');

/** The spec's exact example messages, by file name without `.json`. */
export const specMessages: Record<string, any> = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8'))]),
);

/** The raw text of a spec example, as a server would send it. */
export const specText = (name: string): string => readFileSync(join(dir, `${name}.json`), 'utf8');
