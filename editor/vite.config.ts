import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In production the runtime serves dist/ itself, so the proxy only matters for `vite dev`.
const runtime = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: runtime, changeOrigin: true },
      '/ws': { target: runtime, ws: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
});
