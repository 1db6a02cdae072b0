import type { GraphBuilder } from './builder';
import type { GraphNode, Value } from './types';

/**
 * A vector-Jacobian product rule: given the gradients flowing into a node's outputs (null where an
 * output does not reach the loss), emit graph that computes the gradients of its inputs (null
 * where an input needs none, e.g. integer indices). `needed` says which inputs' gradients are
 * used (false: a rule may skip building it, e.g. the data input of a first layer's weight).
 */
export interface GradRule {
  readonly op: string;
  vjp(g: GraphBuilder, node: GraphNode, dys: readonly (Value | null)[], needed?: readonly boolean[]): (Value | null)[];
}
