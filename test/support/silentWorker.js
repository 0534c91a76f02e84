// A worker that starts and never answers (a worker script of another version, say, or one stuck):
// for test/unit/readBibliography.test.ts, which must not wait for it forever.
setInterval(() => undefined, 1000);
