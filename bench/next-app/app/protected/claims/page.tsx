import { logto } from '../../../lib/logto.js';

// /protected plus getLogto().getClaims(): what reading the session in a Server Component costs.
export default async function Claims() {
  const claims = await logto().getLogto().getClaims();
  return claims ? <p id="page">{claims.sub}</p> : <p id="nobody">Nobody is signed in.</p>;
}
