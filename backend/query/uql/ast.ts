// The parsed form of a UQL query. Every node keeps its position for runtime errors.
import type { Position } from './errors';

export type Literal = string | number | boolean | null;

export type Expr =
  | { kind: 'column'; name: string; at: Position }
  | { kind: 'literal'; value: Literal; at: Position }
  | { kind: 'call'; name: string; args: Expr[]; at: Position }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; at: Position }
  | { kind: 'unary'; op: '-' | 'not'; operand: Expr; at: Position }
  | { kind: 'in'; negated: boolean; left: Expr; list: Expr[]; at: Position };

export interface Assignment {
  name: string;
  expr: Expr;
}

export interface Aggregation {
  name: string;
  fn: string;
  arg?: Expr;
  at: Position;
}

export type Command = { at: Position } & (
  | { kind: 'parse'; format: 'json' | 'csv' | 'tsv' | 'xml' }
  | { kind: 'scope'; path: string }
  | { kind: 'project'; items: Assignment[] }
  | { kind: 'project-away'; names: string[] }
  | { kind: 'project-rename'; items: { to: string; from: string }[] }
  | { kind: 'extend'; items: Assignment[] }
  | { kind: 'where'; expr: Expr }
  | { kind: 'order'; items: { expr: Expr; desc: boolean }[] }
  | { kind: 'limit'; count: number }
  | { kind: 'count' }
  | { kind: 'summarize'; aggs: Aggregation[]; by: Assignment[] }
  | { kind: 'mv-expand'; name: string; source: string }
  | { kind: 'distinct'; names: string[] }
  | { kind: 'jsonata'; expression: string }
);

export interface UqlQuery {
  commands: Command[];
}
