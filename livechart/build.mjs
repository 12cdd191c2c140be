/**
 * Build the LiveChart bundle with esbuild: src/lib/index.js → tickless_livechart/tickless_livechart.min.js,
 * an IIFE that sets window.tickless_livechart (the namespace Dash looks components up in). React and
 * PropTypes are Dash's (window.React, window.PropTypes), not bundled. uPlot's CSS is bundled as text and
 * injected once. Tickless's pure modules (assets/js/*.js, UMD style) are bundled from their source, with
 * their page registration turned off so the bundle never writes into window.dash_clientside.tickless.
 * Usage: node build.mjs (from livechart/; `make livechart` runs it).
 */
import * as esbuild from "esbuild";
import fs from "node:fs";

const GLOBALS = { react: "React", "prop-types": "PropTypes", "react-dom": "ReactDOM" };
const UMD_ROOT = 'typeof window !== "undefined" ? window : globalThis';

/** Resolve React, ReactDOM and PropTypes to the globals Dash provides. */
const externals = {
  name: "dash-externals",
  setup(build) {
    build.onResolve({ filter: /^(react|react-dom|prop-types)$/ }, (args) => ({ path: args.path, namespace: "dash-global" }));
    build.onLoad({ filter: /.*/, namespace: "dash-global" }, (args) => ({
      contents: `module.exports = window.${GLOBALS[args.path]};`,
      loader: "js",
    }));
  },
};

/** Bundle assets/js modules as plain CommonJS: hand their UMD wrapper an empty root instead of window. */
const privateUmd = {
  name: "private-umd",
  setup(build) {
    build.onLoad({ filter: /[\\/]assets[\\/]js[\\/][^\\/]+\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, "utf8");
      if (!text.includes(UMD_ROOT)) throw new Error(`${args.path}: UMD root expression not found; update build.mjs`);
      return { contents: text.replace(UMD_ROOT, "{}"), loader: "js" };
    });
  },
};

await esbuild.build({
  entryPoints: ["src/lib/index.js"],
  outfile: "tickless_livechart/tickless_livechart.min.js",
  bundle: true,
  format: "iife",
  globalName: "tickless_livechart",
  minify: true,
  sourcemap: "linked",
  target: ["es2020"],
  loader: { ".js": "jsx", ".css": "text" },
  jsx: "transform",
  legalComments: "eof",
  logLevel: "warning",
  plugins: [externals, privateUmd],
});
