// Node: the core API from the installed package (threads 2 exercise its Workers).
import { selectCoreset, AdacoreError } from 'adacore';
import { makeData, summary } from './shared-data.mjs';

const { x, y, f } = makeData();
const coreset = await selectCoreset(x, { dim: f, labels: y, fraction: 0.1, threads: 2 });
let refused = '';
try { await selectCoreset(x, { dim: 7, fraction: 0.1 }); } catch (error) { refused = error instanceof AdacoreError ? error.argument : 'not an AdacoreError'; }
console.log(JSON.stringify({ ...summary(coreset), refused }));
