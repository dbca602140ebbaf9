// What an optimizer returns for one ground set, before the classes are merged.

export interface GroundSetSelection {
  /** Picks as positions in the ground set's members, in greedy order. */
  picks: Int32Array;
  /** Marginal gain of each pick in the similarity form C - d. */
  gains: Float64Array;
  /** For each member, the position (in members) of its nearest pick. */
  nearest: Int32Array;
  /** For each member, the distance to that pick. */
  distances: Float32Array;
  /** sum over members of the distance to the nearest pick. */
  cost: number;
  path: 'dense' | 'tiled';
  evaluations: number;
}
