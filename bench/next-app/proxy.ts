// The proxy of the `proxy` build: logto-kit's proxy guarding /protected (refresh ahead on), or,
// with BENCH_PROXY=empty, a proxy that only answers NextResponse.next(): what Next.js itself
// costs for running a proxy. The `none` build is this app without this file.
import { NextResponse } from 'next/server.js';
import { logto } from './lib/logto.js';

const empty = process.env.BENCH_PROXY === 'empty';
let guard: ((request: Request) => Promise<Response>) | undefined;

export function proxy(request: Request): Response | Promise<Response> {
  if (empty) return NextResponse.next();
  guard ??= logto().proxy({ protect: ['/protected'] });
  return guard(request);
}

export const config = {
  // Everything but Next's own files and the auth routes, as in examples/next.
  matcher: ['/((?!_next/|favicon.ico|auth/).*)'],
};
