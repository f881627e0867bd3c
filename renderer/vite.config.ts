// Vite build of the Svelte 5 renderer: root renderer/, output dist/renderer. `base: './'` keeps every asset
// URL relative, so the same build loads from file:// in Electron and from the web-mode server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The server's CSP forbids inline scripts; keep every asset a file (no data: URIs for scripts).
    assetsInlineLimit: 0,
  },
  server: {
    // `vite dev` against a running `voxelbase serve`: VOXELBASE_URL=http://127.0.0.1:PORT (cookie set by
    // visiting that server's token URL once is not shared with the dev origin, so pass the token too).
    proxy: process.env.VOXELBASE_URL
      ? {
          '/api': {
            target: process.env.VOXELBASE_URL,
            ws: true,
            changeOrigin: true,
            headers: process.env.VOXELBASE_TOKEN ? { cookie: `vb_token=${process.env.VOXELBASE_TOKEN}` } : {},
          },
        }
      : undefined,
  },
});
