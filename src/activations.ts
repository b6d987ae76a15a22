import { ActivationCode } from './backend/types.js';
import { checkOneOf } from './validate.js';

export const ACTIVATIONS = ['identity', 'sigmoid', 'tanh', 'relu', 'softmax'] as const;
/**
 * A layer's activation function.
 * @useDeclaredType
 */
export type Activation = (typeof ACTIVATIONS)[number];

export function checkActivation(name: string, value: unknown): Activation {
  return checkOneOf(name, value, ACTIVATIONS);
}

export function activationCode(activation: Activation): ActivationCode {
  return ActivationCode[activation];
}
