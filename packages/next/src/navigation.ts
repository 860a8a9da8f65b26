/**
 * Next.js's navigation helpers as the server has them: the module `next/navigation` is mapped to
 * in Server Components, Route Handlers and Server Actions. Not `next/navigation.js` (the name
 * Node.js resolves): Turbopack, Next.js 16's default bundler, does not map that name, and
 * `next build` of any Route Handler importing this package then failed ("Could not parse module
 * …/app-route/vendored/contexts/app-router-context.js"; scripts/consumer.test.ts builds with it).
 *
 * @module
 */
export {
  forbidden,
  notFound,
  redirect,
} from 'next/dist/client/components/navigation.react-server.js';
