import type { GradRule } from '../grad';

export const identityGrad: GradRule = {
  op: 'Identity',
  vjp: (_g, _node, [dy]) => [dy!],
};
