// The mocha runner for the Restricted Mode suite (`npm run test:untrusted`): the same runner as
// test/integration's. Bundled to out/test/integration-untrusted/index.js, where its __dirname is
// that folder, so it runs the *.test.js files built beside it.
export { run } from '../integration/index';
