// A protected page that does not read the session: with the proxy, guarded by it; without the
// proxy, the same render unguarded. The baseline of /protected/claims.
export default function Protected() {
  return <p id="page">A page for signed-in users.</p>;
}
