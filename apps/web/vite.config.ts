import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { apiProxyTarget } from './api-proxy.ts';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist' },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      // Loopback requests are a secure context to the API (see localhostIsSecureContext), so cookies keep
      // `Secure`; the header also covers an API started with TRUST_PROXY=loopback.
      '/api': { target: apiProxyTarget(process.env), headers: { 'x-forwarded-proto': 'https' } },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    // Room for a findBy* wait (5 s, src/test/setup.ts) plus typing: a loaded machine is slow, not wrong.
    testTimeout: 20_000,
  },
});
