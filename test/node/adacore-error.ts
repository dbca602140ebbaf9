// The AdacoreError a call must throw (or a promise reject with): the tests assert on its
// argument and message.
import { expect } from 'vitest';
import { AdacoreError } from '../../src/errors.js';

export function thrown(fn: () => unknown): AdacoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AdacoreError);
    return e as AdacoreError;
  }
  throw new Error('expected an AdacoreError');
}

export async function rejected(p: Promise<unknown>): Promise<AdacoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AdacoreError);
    return e as AdacoreError;
  }
  throw new Error('expected an AdacoreError');
}
