/**
 * Parser of the layer expression syntax, e.g. `x * sigmoid(v1 * x) / sqrt(var_group(x))`.
 *
 *   layer   := expr | relu(affine(expr)) | swish(affine(expr)) | affine(expr)
 *   expr    := term (('+' | '-') term)*          left associative → add, sub
 *   term    := unary (('*' | '/') unary)*        left associative → mul, div
 *   unary   := '-' unary | primary               → neg
 *   primary := name | op '(' expr (',' expr)* ')' | '(' expr ')' | 0 | 1
 *
 * Names are the initial nodes x, zero, one, v0, v1 (the literals 0 and 1 mean zero and one);
 * ops are every entry of OPS, called as functions (add(a, b) is the same as a + b). `affine`
 * marks where the per-channel `·γ + β` sits, so `relu(affine(e))` is the post-affine activation
 * of LayerGraph.activation. Identical subexpressions become one node (commutative args
 * compared in either order). The result is not validated (x dependence, node count): see
 * validateGraph.
 */
import { EvonormError } from '../util/errors.js';
import { INPUT_INDEX, INPUT_NAMES, OPS, OP_NAMES, isInputName, isOpName, type OpName } from './ops.js';
import { closest } from './names.js';
import { POST_AFFINE_ACTIVATIONS, type GraphNode, type LayerGraph, type PostAffineActivation } from './types.js';

type Token =
  | { kind: 'name'; text: string; pos: number }
  | { kind: 'number'; text: string; pos: number }
  | { kind: '+' | '-' | '*' | '/' | '(' | ')' | ','; text: string; pos: number }
  | { kind: 'end'; text: ''; pos: number };

type Ast = (
  | { kind: 'input'; index: number; pos: number }
  | { kind: 'op'; op: OpName; args: Ast[]; pos: number }
  | { kind: 'affine'; arg: Ast; pos: number }
  | { kind: 'activation'; activation: PostAffineActivation; arg: Ast; pos: number }
) & { depth?: number };

/** Infix symbols and the prefix minus, from the op registry. */
const INFIX: Readonly<Record<string, OpName>> = Object.fromEntries(OP_NAMES.filter((n) => OPS[n].infix).map((n) => [OPS[n].infix!, n]));
const PREFIX_MINUS: OpName = OP_NAMES.find((n) => OPS[n].prefix === '-')!;

/** Longest expression text accepted (characters); the paper's layers take under 100. */
export const MAX_EXPRESSION_LENGTH = 10_000;
/**
 * Deepest nesting accepted: parentheses, calls, unary minus and chained operators each add a
 * level. Refused before anything recurses deeper, so no input overflows the stack.
 */
export const MAX_EXPRESSION_DEPTH = 200;

/** Parses the expression syntax into a LayerGraph; throws EvonormError('BAD_EXPRESSION'). */
export function parseExpression(text: string): LayerGraph {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new EvonormError('BAD_EXPRESSION', `expression of ${text.length} characters; at most ${MAX_EXPRESSION_LENGTH} are accepted`, { expression: text.slice(0, 100) });
  }
  return new Parser(text).parseLayer();
}

class Parser {
  private readonly tokens: Token[];
  private at = 0;
  /** Recursion depth of the grammar functions, bounded by MAX_EXPRESSION_DEPTH. */
  private nesting = 0;

  constructor(private readonly text: string) {
    this.tokens = this.tokenize();
  }

  parseLayer(): LayerGraph {
    if (this.peek().kind === 'end') this.fail('empty expression at 0', 0);
    const ast = this.parseExpr();
    const next = this.peek();
    if (next.kind === ')') this.fail(`unexpected ')' at ${next.pos} (unbalanced parentheses)`, next.pos);
    if (next.kind !== 'end') {
      this.fail(`unexpected ${describe(next)} at ${next.pos}, expected an operator or the end of the expression`, next.pos);
    }
    return this.build(ast);
  }

  // ---- tokens ----

  private tokenize(): Token[] {
    const tokens: Token[] = [];
    const pattern = /\s+|([A-Za-z_][A-Za-z0-9_]*)|(\d+(?:\.\d*)?)|([-+*/(),])/y;
    let pos = 0;
    while (pos < this.text.length) {
      pattern.lastIndex = pos;
      const match = pattern.exec(this.text);
      if (!match) this.fail(`unexpected character '${this.text[pos]}' at ${pos}`, pos);
      const [whole, name, number, symbol] = match;
      if (name !== undefined) tokens.push({ kind: 'name', text: name, pos });
      else if (number !== undefined) tokens.push({ kind: 'number', text: number, pos });
      else if (symbol !== undefined) tokens.push({ kind: symbol as '+', text: symbol, pos });
      pos += whole.length;
    }
    tokens.push({ kind: 'end', text: '', pos: this.text.length });
    return tokens;
  }

  private peek(): Token {
    return this.tokens[this.at];
  }

  private take(): Token {
    const token = this.tokens[this.at];
    if (token.kind !== 'end') this.at++;
    return token;
  }

  // ---- grammar ----

  private parseExpr(): Ast {
    let left = this.parseTerm();
    while (this.peek().kind === '+' || this.peek().kind === '-') {
      const op = this.take();
      left = this.deep({ kind: 'op', op: INFIX[op.kind], args: [left, this.parseTerm()], pos: op.pos });
    }
    return left;
  }

  private parseTerm(): Ast {
    let left = this.parseUnary();
    while (this.peek().kind === '*' || this.peek().kind === '/') {
      const op = this.take();
      left = this.deep({ kind: 'op', op: INFIX[op.kind], args: [left, this.parseUnary()], pos: op.pos });
    }
    return left;
  }

  private parseUnary(): Ast {
    if (this.peek().kind === '-') {
      const minus = this.take();
      this.enter(minus);
      const arg = this.parseUnary();
      this.nesting--;
      return this.deep({ kind: 'op', op: PREFIX_MINUS, args: [arg], pos: minus.pos });
    }
    return this.parsePrimary();
  }

  /** One level deeper into the grammar; refuses to go past MAX_EXPRESSION_DEPTH. */
  private enter(token: Token): void {
    if (++this.nesting > MAX_EXPRESSION_DEPTH) this.fail(`expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep at ${token.pos}`, token.pos);
  }

  /** Records a tree node's depth (1 + its deepest argument); refuses past MAX_EXPRESSION_DEPTH. */
  private deep(node: Ast & { kind: 'op' }): Ast {
    const depth = 1 + Math.max(0, ...node.args.map((a) => a.depth ?? 0));
    if (depth > MAX_EXPRESSION_DEPTH) this.fail(`expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep at ${node.pos}`, node.pos);
    return { ...node, depth };
  }

  private parsePrimary(): Ast {
    const token = this.take();
    this.enter(token);
    try {
      return this.parsePrimaryBody(token);
    } finally {
      this.nesting--;
    }
  }

  private parsePrimaryBody(token: Token): Ast {
    switch (token.kind) {
      case 'name':
        return this.tokens[this.at].kind === '(' ? this.parseCall(token) : this.parseName(token);
      case 'number':
        if (Number(token.text) === 0) return { kind: 'input', index: INPUT_INDEX.zero, pos: token.pos };
        if (Number(token.text) === 1) return { kind: 'input', index: INPUT_INDEX.one, pos: token.pos };
        return this.fail(`unsupported constant ${token.text} at ${token.pos} (only 0 and 1, or zero and one)`, token.pos);
      case '(': {
        const inner = this.parseExpr();
        this.close(token);
        return inner;
      }
      case 'end':
        return this.fail(`unexpected end of expression at ${token.pos}, expected a name, a call, '(' or '-'`, token.pos);
      case ')':
        return this.fail(`unexpected ')' at ${token.pos}, expected a name, a call, '(' or '-'`, token.pos);
      default:
        return this.fail(`unexpected ${describe(token)} at ${token.pos}, expected a name, a call, '(' or '-'`, token.pos);
    }
  }

  private parseName(token: Token): Ast {
    if (isInputName(token.text)) return { kind: 'input', index: INPUT_INDEX[token.text], pos: token.pos };
    if (isOpName(token.text) || token.text === 'affine' || isActivation(token.text)) {
      return this.fail(`${token.text} at ${token.pos} needs arguments: ${token.text}(...)`, token.pos);
    }
    const hint = closest(token.text, [...INPUT_NAMES, ...OP_NAMES]);
    const suffix = hint ? ` (did you mean ${hint}?)` : ` (inputs are ${INPUT_NAMES.join(', ')})`;
    return this.fail(`unknown name "${token.text}" at ${token.pos}${suffix}`, token.pos);
  }

  private parseCall(name: Token): Ast {
    const callee = name.text;
    if (isInputName(callee)) this.fail(`"${callee}" at ${name.pos} is an input, not an op`, name.pos);
    if (!isOpName(callee) && callee !== 'affine' && !isActivation(callee)) {
      const hint = closest(callee, OP_NAMES);
      this.fail(`unknown op "${callee}" at ${name.pos}${hint ? ` (did you mean ${hint}?)` : ''}`, name.pos);
    }
    const open = this.take();
    const args: Ast[] = [];
    if (this.peek().kind !== ')') {
      args.push(this.parseExpr());
      while (this.peek().kind === ',') {
        this.take();
        args.push(this.parseExpr());
      }
    }
    this.close(open);
    const arity = isOpName(callee) ? OPS[callee].arity : 1;
    if (args.length !== arity) {
      this.fail(`${callee} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length} at ${name.pos}`, name.pos);
    }
    if (callee === 'affine') return { kind: 'affine', arg: args[0], pos: name.pos, depth: args[0].depth };
    if (isActivation(callee) && !isOpName(callee)) return { kind: 'activation', activation: callee, arg: args[0], pos: name.pos, depth: args[0].depth };
    return this.deep({ kind: 'op', op: callee as OpName, args, pos: name.pos });
  }

  /** Consumes the ')' matching `open`, or reports the unbalanced parenthesis. */
  private close(open: Token): void {
    const next = this.peek();
    if (next.kind === ')') {
      this.take();
      return;
    }
    if (next.kind === 'end') this.fail(`unbalanced parentheses: '(' at ${open.pos} is never closed`, open.pos);
    this.fail(`unexpected ${describe(next)} at ${next.pos}, expected ')' or ','`, next.pos);
  }

  // ---- graph ----

  /** Turns the tree into nodes, one per distinct subexpression, and reads the top-level affine. */
  private build(ast: Ast): LayerGraph {
    let body = ast;
    let activation: PostAffineActivation | undefined;
    if (ast.kind === 'affine') body = ast.arg;
    else if (ast.kind === 'activation' && ast.arg.kind === 'affine') {
      activation = ast.activation;
      body = ast.arg.arg;
    } else if (ast.kind === 'op' && ast.op === 'relu' && ast.args[0].kind === 'affine') {
      activation = 'relu';
      body = ast.args[0].arg;
    }

    const nodes: GraphNode[] = [];
    const interned = new Map<string, number>();
    const visit = (node: Ast): number => {
      switch (node.kind) {
        case 'input':
          return node.index;
        case 'affine':
          return this.fail(
            `affine at ${node.pos} may only wrap the whole expression: affine(e), relu(affine(e)) or swish(affine(e))`,
            node.pos,
          );
        case 'activation':
          return this.fail(
            `${node.activation} at ${node.pos} is only a post-affine activation, written ${node.activation}(affine(e)) around the whole expression`,
            node.pos,
          );
        case 'op': {
          const args = node.args.map(visit);
          const keyArgs = OPS[node.op].commutative ? [...args].sort((a, b) => a - b) : args;
          const key = `${node.op}(${keyArgs.join(',')})`;
          const existing = interned.get(key);
          if (existing !== undefined) return existing;
          const index = INPUT_NAMES.length + nodes.length;
          nodes.push({ op: node.op, args });
          interned.set(key, index);
          return index;
        }
      }
    };
    const output = visit(body);
    return activation === undefined ? { nodes, output } : { nodes, output, activation };
  }

  private fail(message: string, position: number): never {
    // A window of the text around the position, so a long expression gives a short message.
    const from = Math.max(0, position - 60);
    const line = `${from > 0 ? '…' : ''}${this.text.slice(from, position + 60).replace(/\s/g, ' ')}${position + 60 < this.text.length ? '…' : ''}`;
    throw new EvonormError('BAD_EXPRESSION', `${message}\n  ${line}\n  ${' '.repeat(position - from + (from > 0 ? 1 : 0))}^`, {
      position,
      expression: this.text,
    });
  }
}

function isActivation(name: string): name is PostAffineActivation {
  return (POST_AFFINE_ACTIVATIONS as readonly string[]).includes(name);
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'end of expression';
  if (token.kind === 'name') return `name "${token.text}"`;
  return `'${token.text}'`;
}
