// A counting sort: the partitioned optimizer groups the members outside its merge round by
// owner, and partitionRows groups rows by class; and the positions that hold one key.

/** The positions t where values[t] === value, ascending. */
export function positionsWhere(values: ArrayLike<number>, value: number): Int32Array {
  let count = 0;
  for (let t = 0; t < values.length; t++) if (values[t] === value) count++;
  const out = new Int32Array(count);
  for (let t = 0, o = 0; t < values.length; t++) if (values[t] === value) out[o++] = t;
  return out;
}

/**
 * `positions` grouped by key[position] (0..keys-1), in their order within a key: group k is
 * order[start[k] .. start[k + 1]).
 */
export function groupByKey(positions: Int32Array, key: Int32Array, keys: number): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < positions.length; i++) start[key[positions[i]] + 1]++;
  for (let k = 0; k < keys; k++) start[k + 1] += start[k];
  const next = start.slice(0, keys);
  const order = new Int32Array(positions.length);
  for (let i = 0; i < positions.length; i++) order[next[key[positions[i]]]++] = positions[i];
  return { order, start };
}
