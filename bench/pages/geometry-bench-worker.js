import * as lib from '../../dist/geometry.js';
import { runGeometryBench } from '../geometry-core.mjs';

self.onmessage = async (e) => {
  self.postMessage(await runGeometryBench(lib, { ms: e.data.ms }));
};
