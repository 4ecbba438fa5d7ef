import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = dirname(fileURLToPath(import.meta.url));

/** Groups third-party modules into a few long-lived vendor chunks. */
function vendorChunk(id: string): string | undefined {
  if (!id.includes('node_modules')) return undefined;
  if (/node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/.test(id)) return 'vendor-react';
  if (/node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@ctrl|dayjs|@emotion|stylis|classnames)[\\/]/.test(id)) return 'vendor-antd';
  if (/node_modules[\\/](i18next|react-i18next|@tanstack)[\\/]/.test(id)) return 'vendor-data';
  // ECharts (degree progress, quality dashboards): its own chunk, loaded with the charts
  if (/node_modules[\\/](echarts|zrender)[\\/]/.test(id)) return 'vendor-echarts';
  return 'vendor';
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: { manualChunks: vendorChunk },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
    },
  },
});
