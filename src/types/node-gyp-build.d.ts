declare module 'node-gyp-build' {
  /** Loads the addon of the package rooted at `dir`: build/Release first, then prebuilds/. */
  function load(dir: string): unknown;
  export = load;
}
