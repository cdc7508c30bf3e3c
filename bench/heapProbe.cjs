// Preloaded into every measured process (node --expose-gc --require). SIGUSR2:
// - with BENCH_PROFILE_FILE set, the first signal starts a V8 CPU profile (in
//   process, node:inspector) and the second writes it there, so a profile
//   covers exactly the measured load, not start-up and warm-up;
// - otherwise, with BENCH_HEAP_FILE set, a full GC, then process.memoryUsage()
//   written there, so the bench reads the live heap of the gateway, the proxy
//   and the Mesh peer alike; with it the memory V8 holds per heap space
//   (young and old generation, code, large objects) before and after that GC,
//   which tells where the resident size goes.
// Without either variable it does nothing.
'use strict';
const { writeFileSync } = require('node:fs');

const heapFile = process.env.BENCH_HEAP_FILE;
const profileFile = process.env.BENCH_PROFILE_FILE;

if (profileFile) {
  const { Session } = require('node:inspector');
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => {
        session.post('Profiler.setSamplingInterval', { interval: 200 }, () => {
          session.post('Profiler.start');
        });
      });
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (!error && result) writeFileSync(profileFile, JSON.stringify(result.profile));
    });
  });
} else if (heapFile && typeof globalThis.gc === 'function') {
  const v8 = require('node:v8');
  const spaces = () =>
    Object.fromEntries(
      v8.getHeapSpaceStatistics().map((space) => [space.space_name, space.physical_space_size]),
    );
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
