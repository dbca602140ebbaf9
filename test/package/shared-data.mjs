// Seeded data every consumer script uses: n rows of f features in 3 classes, the same bytes in
// Node, Deno, a browser and workerd.
export function makeData(n = 600, f = 20, classes = 3) {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const x = new Float32Array(n * f);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    for (let j = 0; j < f; j++) x[i * f + j] = rand() + (j % classes === y[i] ? 1 : 0);
  }
  return { x, y, n, f, classes };
}

/** What every runtime reports of a coreset, to compare across them. */
export function summary(coreset) {
  return { size: coreset.indices.length, indices: Array.from(coreset.indices), weights: Array.from(coreset.weights) };
}
