// @vitest-environment node
/**
 * Every export users can import has TSDoc, as their editor shows it: types a
 * description, and functions, components, classes and constants an `@example`.
 */
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ENTRIES = ['src/index.ts', 'src/protocol/index.ts', 'src/control/index.ts', 'src/flow/index.ts', 'src/server/index.ts'];

/** `name (file)` of each own export of the entries that lacks a doc comment, or an example where it needs one. */
function undocumented(): { noDoc: string[]; noExample: string[] } {
  const program = ts.createProgram(
    ENTRIES.map((e) => root + e),
    {
      strict: true,
      jsx: ts.JsxEmit.ReactJSX,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      noEmit: true,
      resolveJsonModule: true,
    },
  );
  const checker = program.getTypeChecker();
  const noDoc = new Set<string>();
  const noExample = new Set<string>();
  for (const entry of ENTRIES) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(root + entry)!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = symbol.declarations?.[0];
      const file = declaration?.getSourceFile().fileName.replace(root, '') ?? '';
      if (!declaration || file.includes('node_modules') || file.endsWith('.json')) continue;
      // A `const` carries its comment on the statement.
      const commented = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
      const where = `${symbol.name} (${file})`;
      if (ts.getJSDocCommentsAndTags(commented).length === 0) noDoc.add(where);
      else if (
        !ts.isInterfaceDeclaration(declaration) &&
        !ts.isTypeAliasDeclaration(declaration) &&
        !ts.getJSDocTags(commented).some((t) => t.tagName.text === 'example')
      )
        noExample.add(where);
    }
  }
  return { noDoc: [...noDoc], noExample: [...noExample] };
}

describe('TSDoc on the public API', () => {
  it('every export has a doc comment; every value an @example', () => {
    const { noDoc, noExample } = undocumented();
    expect(noDoc).toEqual([]);
    expect(noExample).toEqual([]);
  }, 60_000);
});
