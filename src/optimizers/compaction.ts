// Row compaction of the dense block during a long greedy (compactRows in the kernels): once
// most distances can no longer beat a point's current nearest pick, reading only the rest
// is cheaper than re-reading whole rows.
import type { Arena } from '../kernels/arena.js';
import type { KernelExports } from '../kernels/wasm.js';

/**
 * Compaction pays only when re-reading dense rows is what the greedy waits on: a block of a
 * few MiB stays in cache, and there it cost more than it saved (measured on the 500- and
 * 1,800-point blocks of the partitioned optimizer: 0.55 s without, 0.73 s with).
 */
export const COMPACTION_ABOVE_BYTES = 16 * 1024 * 1024;

/**
 * When to shrink the dense rows to the entries that can still matter (compactRows in
 * assembly/compaction.ts). A compaction costs one read of the current rows. The first waits for
 * 2n dense gain evaluations (two matrices' worth of rows: earlier, so many entries survive that
 * it costs more than it saves; measured at n = 6000); later ones wait until the evaluations
 * since the last have read about as much as the sparse structure holds (n of them). Entries take 8 bytes, and at most
 * n^2 / 8 of them are kept (a quarter of the dense block's bytes); a compaction that would need
 * more is retried later, when fewer entries are left.
 */
export class Compaction {
  private readonly capacity: number;
  private startsAt = 0;
  private indicesAt = 0;
  private distancesAt = 0;
  private evaluationsAtLast: number;
  private threshold: number;

  constructor(private readonly kernels: KernelExports, private readonly arena: Arena, private readonly n: number, private readonly keepsBounds: boolean) {
    this.capacity = Math.max(1024, Math.floor((n * n) / 8));
    this.evaluationsAtLast = kernels.evaluationCount();
    this.threshold = 2 * n;
  }

  afterPick(): void {
    const evaluations = this.kernels.evaluationCount();
    if (evaluations - this.evaluationsAtLast < this.threshold) return;
    if (this.startsAt === 0) {
      this.startsAt = this.arena.alloc((this.n + 1) * 4, 'sparse row starts');
      this.indicesAt = this.arena.alloc(this.capacity * 4, 'sparse row entries');
      this.distancesAt = this.arena.alloc(this.capacity * 4, 'sparse row entries');
    }
    const kept = this.kernels.compactRows(this.startsAt, this.indicesAt, this.distancesAt, this.capacity);
    if (kept >= 0) {
      this.threshold = this.n;
      if (this.keepsBounds) this.kernels.lazyRefresh();
    }
    this.evaluationsAtLast = this.kernels.evaluationCount();
  }
}
