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
    // Development against a running `voxelbase serve`: VOXELBASE_URL=<the URL it printed, with its token>
    // npx vite --config renderer/vite.config.ts. The proxy forwards /api (calls and the event socket) with
    // the token as a Bearer header and the server's own Host and Origin, which its checks require.
    proxy: devProxy(process.env.VOXELBASE_URL),
  },
});

function devProxy(printed: string | undefined) {
  if (!printed) return undefined;
  const url = new URL(printed);
  const token = url.searchParams.get('token') ?? '';
  return {
    '/api': {
      target: url.origin,
      ws: true,
      changeOrigin: true,
      headers: { authorization: `Bearer ${token}`, origin: url.origin },
    },
  };
}
