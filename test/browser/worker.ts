// Module Worker: runs every shared case against dist/adacore.mjs off the main thread (see harness.ts).
import * as adacore from '../../dist/adacore.mjs';
import { runAll, type Lib } from '../shared/cases.ts';
import { serveCases } from './harness.ts';

serveCases((onResult) => runAll(adacore as unknown as Lib, onResult));
