// Globals and modules that exist only in the bundled AMD plugin.

/** The AMD loader's `module` object (mapped from `amd-module` by webpack.config.js). */
declare module 'amd-module' {
  const amdModule: { uri?: string } | undefined;
  export default amdModule;
}

// Webpack's runtime public path, assigned in src/publicPath.ts.
declare let __webpack_public_path__: string;
