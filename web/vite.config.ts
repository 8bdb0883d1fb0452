import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { offlineShell } from './offline-shell.js';
import { routeTablePlugin } from './route-table.js';

/**
 * The web pages: Preact compiled by Vite's own JSX transform (no Babel), one entry, built to
 * web/dist. Shared code (route table, zod schemas, error catalogue, subsidy rules) is imported
 * from the back end's folders through package.json's `imports` map; the route table's paths
 * arrive through `virtual:route-table` (see route-table.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: 'public',
  plugins: [routeTablePlugin(), offlineShell()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small CSS file: loaded as a file, so the content security policy needs no inline styles.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    // The chart chunk (ECharts, piecewise) and the spreadsheet chunk (exceljs) are big and loaded only
    // on the staff pages that draw or download; bench/web.ts measures them.
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/v1': 'http://localhost:3000', '/config.json': 'http://localhost:3000', '/oauth2': 'http://localhost:3000', '/.well-known': 'http://localhost:3000' } },
});
