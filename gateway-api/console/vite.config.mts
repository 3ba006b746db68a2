// The console is built into dist/console, which the gateway serves at / (plugins/console.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // Relative asset URLs: the console works behind any path prefix a county's proxy puts before it.
  base: './',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: true,
    rollupOptions: {
      output: {
        // The libraries change less often than the console: their own chunks stay cached.
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'charts';
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'ui';
          if (id.includes('node_modules')) return 'vendor';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
