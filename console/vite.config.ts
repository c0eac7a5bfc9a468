/**
 * @module console/vite.config
 * Builds the web console into `dist/console`, which `switchyard serve` serves at `/`
 * (src/server/console-static.ts). `npm run console:dev` serves it with hot reload and sends API
 * calls to a Switchyard on 127.0.0.1:4000.
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

const GATEWAY = process.env["SWITCHYARD_URL"] ?? "http://127.0.0.1:4000";

/**
 * The dev server proxies API calls to Switchyard as if the page were served by it: the Host is the
 * gateway's and the Origin (the dev server's own) is dropped, else Switchyard's cross-site and
 * Host checks (docs/security.md) refuse them.
 */
const DEV_PROXY: ProxyOptions = {
  target: GATEWAY,
  changeOrigin: true,
  configure: (proxy) => proxy.on("proxyReq", (request) => request.removeHeader("origin")),
};

export const config = defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/console", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // Small files stay files: the server's CSP allows scripts and styles from this origin only.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: { proxy: Object.fromEntries(["/api", "/v1", "/health"].map((path) => [path, DEV_PROXY])) },
});

// Vite loads the default export of its config file; as in vitest.config.ts, the one allowed default export.
// eslint-disable-next-line no-restricted-syntax
export default config;
