// The shared pages are HTML strings with every value escaped (examples/shared/src/views.ts):
// the same markup as the Express and Hono samples.
export function Html({ html }: { html: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: shared markup, every value escaped
  return <div dangerouslySetInnerHTML={{ __html: html }} />;
}

export const title = (page: string) => `${page} · Logto Next.js sample`;
