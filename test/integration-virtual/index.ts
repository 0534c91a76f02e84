// The mocha runner for the virtual-workspace suite (`npm run test:virtual`): the same runner as
// test/integration's. Bundled to out/test/integration-virtual/index.js, where its __dirname is
// that folder, so it runs the *.test.js files built beside it.
export { run } from '../integration/index';
