// Every auth route in one handler: /auth/sign-in, /auth/sign-up, /auth/callback,
// /auth/sign-out and POST /auth/backchannel-logout.
import { logto } from '../../../lib/logto';

export const GET = async (request: Request) => (await logto()).handlers.GET(request);
export const HEAD = async (request: Request) => (await logto()).handlers.HEAD(request);
export const POST = async (request: Request) => (await logto()).handlers.POST(request);
