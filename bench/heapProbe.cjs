// Preloaded into every measured process (node --expose-gc --require). With
// BENCH_HEAP_FILE set, SIGUSR2 runs a full GC and writes process.memoryUsage()
// there, with the memory V8 holds per heap space before and after that GC, so
// the bench reads the live heap of the gateway, the proxy and the Mesh peer
// alike. Without the variable it does nothing.
'use strict';
const { writeFileSync } = require('node:fs');
const v8 = require('node:v8');

const heapFile = process.env.BENCH_HEAP_FILE;
const spaces = () =>
  Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size]));

if (heapFile && typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    const beforeGc = spaces();
    globalThis.gc();
    const afterGc = spaces();
    writeFileSync(
      heapFile,
      JSON.stringify({ ...process.memoryUsage(), spaces: { beforeGc, afterGc } }),
    );
  });
}
