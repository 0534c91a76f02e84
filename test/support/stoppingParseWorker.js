// The parse worker (src/parallel/parseWorker.ts), stopping (exit code 3) once it has sent back its
// first chunk: for test/unit/parallel.test.ts, a worker that fails part of the way through.
const { parentPort } = require('node:worker_threads');
require('tsx/cjs');

const post = parentPort.postMessage.bind(parentPort);
parentPort.postMessage = (message, transfer) => {
  post(message, transfer);
  if (message.type === 'parsed') process.exit(3);
};
require('../../src/parallel/parseWorker.ts');
