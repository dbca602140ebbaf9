// A diverging run stops with an error that says where, instead of returning NaN.
import { AdacoreError } from '../../tf/errors.js';

export function checkFinite(loss: number, epoch: number, step: number): void {
  if (!Number.isFinite(loss)) {
    throw new AdacoreError('learningRate', `the training loss became ${loss} at epoch ${epoch + 1}, step ${step + 1}: the run diverged; lower the learning rate`);
  }
}
