/** Every differentiable op: its builder function and its vector-Jacobian rule. */
import type { GradRule } from '../grad';
import { addGrad } from './add';
import { concatGrad } from './concat';
import { crossEntropyGrad } from './cross_entropy';
import { gatherGrad } from './gather';
import { gateGrad } from './gate';
import { identityGrad } from './identity';
import { gemmGrad, matmulGrad } from './matmul';
import { mulGrad } from './mul';
import { negGrad } from './neg';
import { reduceSumGrad } from './reduce_sum';
import { reluGrad } from './relu';
import { reshapeGrad } from './reshape';
import { padGrad } from './shift';
import { sigmoidGrad } from './sigmoid';
import { sliceGrad } from './slice';
import { splitGrad } from './split';
import { subGrad } from './sub';
import { tanhGrad } from './tanh';
import { transposeGrad } from './transpose';

export { add } from './add';
export { concat } from './concat';
export { softmaxCrossEntropy } from './cross_entropy';
export { gather } from './gather';
export { gate } from './gate';
export { matmul, gemm } from './matmul';
export { mul } from './mul';
export { neg } from './neg';
export { reduceSum } from './reduce_sum';
export { relu } from './relu';
export { reshape } from './reshape';
export { shift } from './shift';
export { sigmoid } from './sigmoid';
export { slice } from './slice';
export { split } from './split';
export { sub } from './sub';
export { tanh } from './tanh';
export { transpose } from './transpose';

export const GRAD_RULES: ReadonlyMap<string, GradRule> = new Map(
  [
    addGrad, concatGrad, crossEntropyGrad, gatherGrad, gateGrad, gemmGrad, identityGrad, matmulGrad, mulGrad, negGrad,
    reduceSumGrad, reluGrad, reshapeGrad, padGrad, sigmoidGrad, sliceGrad, splitGrad, subGrad, tanhGrad, transposeGrad,
  ].map((r) => [r.op, r]),
);
