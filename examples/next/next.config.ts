import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The workspace packages from their TypeScript source, as the other examples run them: their
  // `@logto-kit/source` export condition, and `./x.js` imports that name `./x.ts` files.
  webpack(config) {
    config.resolve.conditionNames = ['@logto-kit/source', '...'];
    config.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'] };
    return config;
  },
  // `next dev` logs every request with its query: not the callback's, which carries the code.
  logging: { incomingRequests: { ignore: [/\/auth\/callback/] } },
  // Redis' client stays a Node module.
  serverExternalPackages: ['redis', '@redis/client'],
};

export default nextConfig;
