// Long selections run in slices: between slices the pacer reports progress and, every
// ~30 ms, yields to the event loop so an AbortSignal fired by a timer or a UI is seen.
import type { Progress } from './progress.js';

const YIELD_EVERY_MS = 30;

export class Pacer {
  private lastYield = now();
  constructor(
    readonly signal: AbortSignal | undefined,
    private readonly onProgress: ((progress: Progress) => void) | undefined,
    /** Infinity in a selection Worker: nothing there waits on its event loop (an abort terminates it). */
    private readonly yieldEveryMs = YIELD_EVERY_MS,
  ) {
    this.throwIfAborted();
  }

  /**
   * Whether tick would yield now. Hot loops test this first: awaiting a tick that has nothing
   * to do still costs a promise and a microtask (thousands per selection).
   */
  due(): boolean {
    return this.yieldEveryMs !== Infinity && now() - this.lastYield >= this.yieldEveryMs;
  }

  /** Report progress; yield and check for an abort when enough time has passed. */
  async tick(progress: () => Progress): Promise<void> {
    if (!this.due()) return;
    this.onProgress?.(progress());
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.lastYield = now();
    this.throwIfAborted();
  }

  report(progress: Progress): void {
    this.onProgress?.(progress);
  }

  throwIfAborted(): void {
    if (!this.signal?.aborted) return;
    throw this.signal.reason ?? new DOMException('The selection was aborted', 'AbortError');
  }
}

export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
