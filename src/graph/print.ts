/**
 * Printer of the layer expression syntax (the inverse of parseExpression): infix + - * / with
 * the fewest parentheses that keep the tree, `-a` for neg, function calls for every other op,
 * and `relu(affine(e))` / `swish(affine(e))` for a post-affine activation.
 * A node used twice is printed twice; parsing merges the copies again.
 */
import { INPUT_COUNT, OPS } from './ops.js';
import { nodeName } from './names.js';
import type { LayerGraph } from './types.js';

/** Binding strength of a printed form: higher binds tighter. */
const NEG_PRECEDENCE = 3;
const ATOM_PRECEDENCE = 4;

interface Printed {
  readonly text: string;
  readonly precedence: number;
}

/** Prints a graph in the expression syntax; parseExpression(print(g)) has g's canonicalHash. */
export function printExpression(graph: LayerGraph): string {
  const memo = new Map<number, Printed>();
  const print = (index: number): Printed => {
    const known = memo.get(index);
    if (known) return known;
    const result = printNode(index);
    memo.set(index, result);
    return result;
  };
  const printNode = (index: number): Printed => {
    const node = graph.nodes[index - INPUT_COUNT];
    if (index < INPUT_COUNT || node === undefined) return { text: nodeName(index), precedence: ATOM_PRECEDENCE };
    const spec = OPS[node.op];
    if (spec?.infix && spec.precedence !== undefined && node.args.length === 2) {
      const left = print(node.args[0]);
      const right = print(node.args[1]);
      // Left associative: a left operand of equal precedence needs no parentheses, a right one does.
      const l = left.precedence < spec.precedence ? `(${left.text})` : left.text;
      const r = right.precedence <= spec.precedence ? `(${right.text})` : right.text;
      return { text: `${l} ${spec.infix} ${r}`, precedence: spec.precedence };
    }
    if (spec?.prefix && node.args.length === 1) {
      const operand = print(node.args[0]);
      return { text: `${spec.prefix}${operand.precedence < NEG_PRECEDENCE ? `(${operand.text})` : operand.text}`, precedence: NEG_PRECEDENCE };
    }
    return { text: `${node.op}(${node.args.map((a) => print(a).text).join(', ')})`, precedence: ATOM_PRECEDENCE };
  };
  const body = print(graph.output).text;
  return graph.activation ? `${graph.activation}(affine(${body}))` : body;
}
