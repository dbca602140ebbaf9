// Compiled with tsc --strict against the package's published .d.ts (never run).
import { selectCoreset, AdaCoreSelector, type Coreset } from 'adacore';
import { lastLayer, initBackend, type BackendChoice } from 'adacore/tf';
import * as peer from 'adacore/tf-peer';
import { distributedSelect } from 'adacore/distributed';

export async function typed(rows: Float32Array, labels: Int32Array): Promise<number> {
  const coreset: Coreset = await selectCoreset(rows, { dim: 4, labels, fraction: 0.1 });
  const choice: BackendChoice = await initBackend(['cpu']);
  const selector = new AdaCoreSelector({ source: () => lastLayer({ features: rows, logits: rows, labels }) });
  const selection = await selector.select({ labels, fraction: 0.1 });
  const indices: Int32Array = selection.indices;
  // @ts-expect-error: fraction is a number (fails to compile if the types were missing or loose)
  await selectCoreset(rows, { dim: 4, fraction: 'a tenth' });
  void peer.useTensorFlow; void distributedSelect;
  return coreset.indices.length + indices.length + choice.tried.length;
}
