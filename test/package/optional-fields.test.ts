// @vitest-environment node
/**
 * Apps that type-check with `exactOptionalPropertyTypes` pass their own optional
 * props through (`token={props.token}`): every optional field we declare must
 * also take `undefined`, or those apps cannot compile. consumer.tsx checks the
 * common cases against the built package; this keeps new fields in line.
 */
import ts from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** `file:line name` of each optional property or method signature whose type does not include `undefined`. */
function closedOptionalFields(): string[] {
  const found: string[] = [];
  for (const file of sources(join(root, 'src'))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node, name: ts.PropertyName) =>
      `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${name.getText(source)}`;
    const visit = (node: ts.Node) => {
      // An optional method (`onDone?(): void`) takes no `undefined` either.
      if (ts.isMethodSignature(node) && node.questionToken) found.push(where(node, node.name));
      if (ts.isPropertySignature(node) && node.questionToken && node.type) {
        const t = node.type;
        const open =
          [ts.SyntaxKind.AnyKeyword, ts.SyntaxKind.UnknownKeyword, ts.SyntaxKind.UndefinedKeyword].includes(t.kind) ||
          (ts.isUnionTypeNode(t) && t.types.some((u) => u.kind === ts.SyntaxKind.UndefinedKeyword));
        if (!open) found.push(where(node, node.name));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('optional fields under exactOptionalPropertyTypes', () => {
  it('every optional property we declare also takes undefined', () => {
    expect(closedOptionalFields()).toEqual([]);
  });
});
