import { cookies } from 'next/headers.js';

// /protected plus Next's own cookies() read, as getLogto() does first: the part of
// /protected/claims' cost that is Next's, not logto-kit's.
export default async function Cookies() {
  const jar = await cookies();
  return <p id="page">{jar.getAll().length} cookies</p>;
}
