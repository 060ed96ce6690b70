// A recursive-descent parser for UQL: commands separated by `|`, expressions with the usual precedence
// (or < and < not < comparison < + - < * / % < unary). Errors point at the offending token.
import type { Aggregation, Assignment, Command, Expr, Literal, UqlQuery } from './ast';
import { UqlError, type Position } from './errors';
import { tokenize, type Token } from './lexer';
import { AGGREGATIONS, FUNCTIONS } from './functions';

/** A command without its position: what each command's reader gives. */
type CommandBody = Command extends infer C ? (C extends { at: Position } ? Omit<C, 'at'> : never) : never;

const COMPARISONS = new Set(['==', '!=', '>', '>=', '<', '<=', '=~']);
const WORD_COMPARISONS = new Set(['contains', 'startswith', 'endswith', 'has', 'matches']);

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'the end of the query';
    case 'column':
      return `"${t.value}"`;
    case 'string':
      return `'${t.value}'`;
    default:
      return `"${t.value}"`;
  }
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') {
      this.i++;
    }
    return t;
  }

  private fail(what: string, t = this.peek()): never {
    throw new UqlError(`expected ${what}, found ${describe(t)}`, t);
  }

  private isWord(word: string, t = this.peek()): boolean {
    return t.kind === 'ident' && t.value.toLowerCase() === word;
  }

  private isOp(op: string, t = this.peek()): boolean {
    return t.kind === 'op' && t.value === op;
  }

  private expectOp(op: string, what: string): Token {
    if (!this.isOp(op)) {
      this.fail(what);
    }
    return this.next();
  }

  private column(what = 'a column name in double quotes'): string {
    const t = this.peek();
    if (t.kind !== 'column') {
      this.fail(what);
    }
    this.next();
    return t.value;
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.peek().kind === 'comma') {
      this.next();
      items.push(item());
    }
    return items;
  }

  parseQuery(): UqlQuery {
    const commands: Command[] = [];
    if (this.peek().kind === 'eof') {
      this.fail('a command such as parse-json');
    }
    while (true) {
      commands.push(this.command());
      const t = this.peek();
      if (t.kind === 'eof') {
        return { commands };
      }
      if (t.kind !== 'pipe') {
        this.fail('"|" before the next command, or the end of the query');
      }
      this.next();
    }
  }

  /** How each command's arguments are read, in the order the error message lists them; sort and take are aliases. */
  private readonly commands: Record<string, (word: string) => CommandBody> = {
    'parse-json': () => ({ kind: 'parse', format: 'json' }),
    'parse-csv': () => ({ kind: 'parse', format: 'csv' }),
    'parse-tsv': () => ({ kind: 'parse', format: 'tsv' }),
    'parse-xml': () => ({ kind: 'parse', format: 'xml' }),
    scope: () => ({ kind: 'scope', path: this.column('the path to scope to, in double quotes') }),
    project: () => ({ kind: 'project', items: this.list(() => this.projection()) }),
    'project-away': () => ({ kind: 'project-away', names: this.list(() => this.column()) }),
    'project-rename': () => ({ kind: 'project-rename', items: this.list(() => this.rename()) }),
    extend: () => ({ kind: 'extend', items: this.list(() => this.assignment()) }),
    where: () => ({ kind: 'where', expr: this.expr() }),
    order: (word) => this.order(word),
    sort: (word) => this.order(word),
    limit: () => ({ kind: 'limit', count: this.rowCount() }),
    take: () => ({ kind: 'limit', count: this.rowCount() }),
    count: () => ({ kind: 'count' }),
    summarize: () => this.summarize(),
    'mv-expand': () => this.mvExpand(),
    distinct: () => ({ kind: 'distinct', names: this.list(() => this.column()) }),
    jsonata: () => ({ kind: 'jsonata', expression: this.jsonataText() }),
  };

  private command(): Command {
    const t = this.peek();
    const name = t.value.toLowerCase();
    if (t.kind !== 'ident' || !Object.hasOwn(this.commands, name)) {
      const listed = Object.keys(this.commands).filter((c) => c !== 'sort' && c !== 'take');
      this.fail(`a command (${listed.join(', ')})`);
    }
    this.next();
    return { ...this.commands[name](t.value), at: { line: t.line, column: t.column } } as Command;
  }

  /** `"new" = "old"` of project-rename. */
  private rename(): { to: string; from: string } {
    const to = this.column('the new column name in double quotes');
    this.expectOp('=', '"=" and the column to rename');
    return { to, from: this.column('the column to rename, in double quotes') };
  }

  /** `by expr [asc|desc], ...` after order or sort (`word`, as written). */
  private order(word: string): CommandBody {
    if (!this.isWord('by')) {
      this.fail(`"by" after "${word}"`);
    }
    this.next();
    const items = this.list(() => {
      const expr = this.expr();
      let desc = false;
      if (this.isWord('asc') || this.isWord('desc')) {
        desc = this.next().value.toLowerCase() === 'desc';
      }
      return { expr, desc };
    });
    return { kind: 'order', items };
  }

  private rowCount(): number {
    const n = this.peek();
    if (n.kind !== 'number' || !/^\d+$/.test(n.value)) {
      this.fail('a whole number of rows');
    }
    this.next();
    return Number(n.value);
  }

  private summarize(): CommandBody {
    const aggs = this.list(() => this.aggregation());
    let by: Assignment[] = [];
    if (this.isWord('by')) {
      this.next();
      by = this.list(() => this.projection());
    }
    return { kind: 'summarize', aggs, by };
  }

  /** `"col"` (expanded in place) or `"name" = "col"`. */
  private mvExpand(): CommandBody {
    const first = this.column('the column to expand, in double quotes');
    if (this.isOp('=')) {
      this.next();
      return { kind: 'mv-expand', name: first, source: this.column('the array column to expand, in double quotes') };
    }
    return { kind: 'mv-expand', name: first, source: first };
  }

  private jsonataText(): string {
    const s = this.peek();
    if (s.kind !== 'string' && s.kind !== 'column') {
      this.fail('a JSONata expression in quotes');
    }
    this.next();
    return s.value;
  }

  /** `"col"`, `"alias"="col"`, or `"alias"=expression`. */
  private projection(): Assignment {
    const t = this.peek();
    const name = this.column();
    if (this.isOp('=')) {
      this.next();
      return { name, expr: this.expr() };
    }
    return { name, expr: { kind: 'column', name, at: t } };
  }

  private assignment(): Assignment {
    const name = this.column('the new column name in double quotes');
    this.expectOp('=', '"=" and an expression');
    return { name, expr: this.expr() };
  }

  private aggregation(): Aggregation {
    let name: string | undefined;
    if (this.peek().kind === 'column') {
      name = this.column();
      this.expectOp('=', '"=" and an aggregation such as count()');
    }
    const t = this.peek();
    if (t.kind !== 'ident' || !(t.value.toLowerCase() in AGGREGATIONS)) {
      this.fail(`an aggregation (${Object.keys(AGGREGATIONS).join(', ')})`);
    }
    this.next();
    const fn = t.value.toLowerCase();
    if (this.peek().kind !== 'lparen') {
      this.fail(`"(" after ${fn}`);
    }
    this.next();
    let arg: Expr | undefined;
    if (this.peek().kind !== 'rparen') {
      arg = this.expr();
    }
    if (this.peek().kind !== 'rparen') {
      this.fail(`")" to close ${fn}(`);
    }
    this.next();
    const spec = AGGREGATIONS[fn];
    if (spec.arg && !arg) {
      throw new UqlError(`${fn}() needs a column, e.g. ${fn}("value")`, t);
    }
    if (!spec.arg && arg) {
      throw new UqlError(`${fn}() takes no argument`, t);
    }
    const argName = arg?.kind === 'column' ? arg.name : 'expr';
    return { name: name ?? (arg ? `${fn}_${argName}` : `${fn}_`), fn, arg, at: t };
  }

  expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord('or')) {
      const t = this.next();
      left = { kind: 'binary', op: 'or', left, right: this.and(), at: t };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord('and')) {
      const t = this.next();
      left = { kind: 'binary', op: 'and', left, right: this.not(), at: t };
    }
    return left;
  }

  private not(): Expr {
    if (this.isWord('not')) {
      const t = this.next();
      return { kind: 'unary', op: 'not', operand: this.not(), at: t };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARISONS.has(t.value)) {
      this.next();
      return { kind: 'binary', op: t.value, left, right: this.additive(), at: t };
    }
    // `in`, `!in`, `contains`, `!contains`, `startswith`, ...
    let negated = false;
    let word = t;
    if (this.isOp('!')) {
      negated = true;
      word = this.peek(1);
    }
    const w = word.kind === 'ident' ? word.value.toLowerCase() : '';
    if (w === 'in') {
      this.i += negated ? 2 : 1;
      if (this.peek().kind !== 'lparen') {
        this.fail('"(" and a list of values after in');
      }
      this.next();
      const list = this.list(() => this.additive());
      if (this.peek().kind !== 'rparen') {
        this.fail('")" to close the list');
      }
      this.next();
      return { kind: 'in', negated, left, list, at: t };
    }
    if (WORD_COMPARISONS.has(w)) {
      this.i += negated ? 2 : 1;
      const cmp: Expr = { kind: 'binary', op: w, left, right: this.additive(), at: t };
      return negated ? { kind: 'unary', op: 'not', operand: cmp, at: t } : cmp;
    }
    if (negated) {
      this.fail('in or contains after "!"', word);
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = { kind: 'binary', op: t.value, left, right: this.multiplicative(), at: t };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const t = this.next();
      left = { kind: 'binary', op: t.value, left, right: this.unary(), at: t };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      const t = this.next();
      return { kind: 'unary', op: '-', operand: this.unary(), at: t };
    }
    if (this.isOp('!')) {
      const t = this.next();
      return { kind: 'unary', op: 'not', operand: this.unary(), at: t };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return { kind: 'literal', value: Number(t.value), at: t };
      case 'string':
        this.next();
        return { kind: 'literal', value: t.value, at: t };
      case 'column':
        this.next();
        return { kind: 'column', name: t.value, at: t };
      case 'lparen': {
        this.next();
        const inner = this.expr();
        if (this.peek().kind !== 'rparen') {
          this.fail('")"');
        }
        this.next();
        return inner;
      }
      case 'ident': {
        const word = t.value.toLowerCase();
        const literals: Record<string, Literal> = { true: true, false: false, null: null };
        if (word in literals && this.peek(1).kind !== 'lparen') {
          this.next();
          return { kind: 'literal', value: literals[word], at: t };
        }
        if (this.peek(1).kind !== 'lparen') {
          this.fail('a value: a "column", a \'string\', a number or a function call', t);
        }
        const spec = FUNCTIONS[word];
        if (!spec) {
          throw new UqlError(`unknown function ${t.value}(); known: ${Object.keys(FUNCTIONS).join(', ')}`, t);
        }
        this.next();
        this.next();
        const args: Expr[] = this.peek().kind === 'rparen' ? [] : this.list(() => this.expr());
        if (this.peek().kind !== 'rparen') {
          this.fail(`"," or ")" in the arguments of ${word}()`);
        }
        this.next();
        if (args.length < spec.min || args.length > spec.max) {
          const want =
            spec.min === spec.max
              ? `${spec.min}`
              : spec.max >= 64
                ? `at least ${spec.min}`
                : `${spec.min} to ${spec.max}`;
          throw new UqlError(`${word}() takes ${want} argument(s), got ${args.length}`, t);
        }
        return { kind: 'call', name: word, args, at: t };
      }
      default:
        return this.fail('a value: a "column", a \'string\', a number or a function call');
    }
  }
}

export function parseUql(text: string): UqlQuery {
  return new Parser(tokenize(text)).parseQuery();
}
