// Module Worker: runs every shared tfjs-layer case against dist/adacore-tf.mjs off the main thread (see harness.ts).
import * as bundle from '../../dist/adacore-tf.mjs';
import { runAllCurvature, type TfLib } from '../shared/curvature-cases.ts';
import { serveCases } from './harness.ts';

serveCases((onResult) => runAllCurvature(bundle as unknown as TfLib, onResult));
