// The public page: the same render as /protected, outside the proxy's `protect` list.
export default function Home() {
  return <p id="page">A page anyone may see.</p>;
}
