// The auth routes (/auth/sign-in, /auth/callback, …): the benchmark signs a user in through them.
import { logto } from '../../../lib/logto.js';

export const GET = (request: Request) => logto().handlers.GET(request);
export const HEAD = (request: Request) => logto().handlers.HEAD(request);
export const POST = (request: Request) => logto().handlers.POST(request);
