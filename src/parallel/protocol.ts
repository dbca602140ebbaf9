// Messages between the pool and its Workers: a task is an id and a payload, a reply the id and
// a result or an error (plain data: typed arrays, numbers, strings). What a payload means is
// the caller's business: the pool knows nothing of what it runs.
import { AdacoreError } from '../errors.js';

export interface TaskMessage<P = unknown> { id: number; payload: P }

export interface ErrorData { name: string; message: string; argument?: string }

export type ReplyMessage<R = unknown> = { id: number; result: R } | { id: number; error: ErrorData };

/** An error as plain data, so that it survives postMessage. */
export function errorData(e: unknown): ErrorData {
  const error = e as Error & { argument?: string };
  return { name: error?.name ?? 'Error', message: String(error?.message ?? e), argument: error?.argument };
}

/** The error a Worker reported, rebuilt on this side (an AdacoreError stays one). */
export function rebuildError({ name, message, argument }: ErrorData): Error {
  if (name === 'AdacoreError' && argument !== undefined) {
    return new AdacoreError(argument, message.startsWith(`${argument}: `) ? message.slice(argument.length + 2) : message);
  }
  const error = new Error(message);
  error.name = name;
  return error;
}
