#!/usr/bin/env node
// Prints the longest functions of the TypeScript sources (declarations, methods, arrows, function
// expressions, constructors, accessors), counted in lines from the first to the last line of the
// function, nested functions included in their parent. Test files are left out unless --tests is given:
// long describe() bodies are lists of cases, not logic.
// Usage: node scripts/longest-functions.mjs [--top N] [--tests] [root ...]   (default: backend src, top 10)
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';
import { tsSources } from './tsSources.mjs';

const args = process.argv.slice(2);
let top = 10;
let withTests = false;
const roots = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i]);
  else if (args[i] === '--tests') withTests = true;
  else roots.push(args[i]);
}
if (roots.length === 0) roots.push('backend', 'src');

const isTest = (name) => /\.(test|spec)\.tsx?$|(^|\/)__tests__\//.test(name);

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name && ts.isStringLiteral(node.name)) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isCallExpression(parent)) return `(argument of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

const found = [];
for (const file of roots.flatMap((r) => tsSources(resolve(r), (path) => withTests || !isTest(path)))) {
  const text = readFileSync(file, 'utf8');
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({
        lines: end - start + 1,
        where: `${relative(process.cwd(), file)}:${start + 1}`,
        name: nameOf(node),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

found.sort((a, b) => b.lines - a.lines);
for (const f of found.slice(0, top)) console.log(`${String(f.lines).padStart(5)}  ${f.where}  ${f.name}`);
