/* global module */
// Jest transform: a .proto file becomes a module whose default export is its text (as esbuild's text loader).
module.exports = {
  process(sourceText) {
    return { code: `module.exports = { __esModule: true, default: ${JSON.stringify(sourceText)} };` };
  },
};
