import type { NextConfig } from 'next';

const config: NextConfig = {
  // Load Banter's server (PGlite's WASM, pg, ws) from node_modules instead of bundling it.
  serverExternalPackages: ['@banter/server'],
};

export default config;
