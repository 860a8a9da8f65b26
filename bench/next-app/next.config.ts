import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // `./x.js` imports name `./x.ts` files. The workspace packages run from their build (dist/), as
  // users get them; BENCH_SOURCE=1 (set at build time) takes their TypeScript source instead,
  // through the `@logto-kit/source` export condition, as examples/next does.
  webpack(config) {
    if (process.env.BENCH_SOURCE) config.resolve.conditionNames = ['@logto-kit/source', '...'];
    config.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'] };
    return config;
  },
};

export default nextConfig;
