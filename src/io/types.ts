/** A dense row-major matrix: row r is data[r * dim, (r + 1) * dim). */
export interface Matrix {
  data: Float32Array | Float64Array;
  rows: number;
  dim: number;
}

export interface ReadOptions {
  /** Name used in error messages, usually the file path. Default 'input'. */
  source?: string;
  /**
   * Memory budget in bytes for the decoded data. Default 2 GiB. A header that claims
   * more is rejected before anything is allocated.
   */
  maxBytes?: number;
}
