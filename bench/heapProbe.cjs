// Preloaded into every measured process (node --expose-gc --require). With BENCH_HEAP_FILE set,
// SIGUSR2 runs a full GC and writes process.memoryUsage() there, with the memory V8 holds per heap
// space before and after that GC, so the bench reads the live heap of any subject alike.
'use strict';
const { writeFileSync } = require('node:fs');
const { getHeapSpaceStatistics } = require('node:v8');

const file = process.env.BENCH_HEAP_FILE;
const spaces = () =>
  Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size]));
if (file && typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    const beforeGc = spaces();
    globalThis.gc();
    writeFileSync(
      file,
      JSON.stringify({ ...process.memoryUsage(), spaces: { beforeGc, afterGc: spaces() } }),
    );
  });
}
