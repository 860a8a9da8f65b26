// Benchmark 8's table. The machine is shared: each round's figure is compared with its
// baseline from the same round (run moments apart), and the rounds are summarised by their
// median, with the range of the per-round ratios beside it.
import type { ProxyMicroResult } from './micro-next-proxy.js';
import {
  type NextResult,
  type NextRoute,
  type NextRow,
  type NextVariant,
  nextCases,
  nextVariantLabels,
} from './next.js';

interface Spread {
  median: number;
  min: number;
  max: number;
}

/** One case over the rounds: medians, and its ratio to the same route without a proxy. */
export interface NextCaseSummary {
  variant: NextVariant;
  route: NextRoute;
  requestsPerSecond: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  ratio: Spread;
  extraCpuMicrosPerRequest: number;
  non2xx: number;
  setCookieResponses: number;
  wrongBodies: number;
  responses: number;
  idpRequests: number;
}

/**
 * What reading the session costs a render: /protected/claims (getClaims()) or
 * /protected/cookies (Next's cookies() alone) against /protected of the same server.
 */
export interface NextRenderSummary {
  variant: NextVariant;
  page: '/protected/claims' | '/protected/cookies';
  ratio: Spread;
  extraCpuMicrosPerRequest: number;
}

export interface NextSummary {
  cases: NextCaseSummary[];
  render: NextRenderSummary[];
  proxyMicro: ProxyMicroResult;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const spread = (values: number[]): Spread => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
});

/** Per round: `of` against `base` (ratio of req/s, difference of CPU per request). */
function compare(rounds: NextRow[], of: [NextVariant, NextRoute], base: [NextVariant, NextRoute]) {
  const pick = ([variant, route]: [NextVariant, NextRoute]) =>
    rounds.filter((r) => r.variant === variant && r.route === route);
  const ofRows = pick(of);
  const baseRows = pick(base);
  const pairs = ofRows.map((row) => [row, baseRows.find((b) => b.round === row.round)!] as const);
  return {
    ratio: spread(pairs.map(([a, b]) => a.requestsPerSecond / b.requestsPerSecond)),
    extraCpuMicrosPerRequest: median(
      pairs.map(([a, b]) => a.cpuMicrosPerRequest - b.cpuMicrosPerRequest),
    ),
  };
}

export function summariseNext({ rounds, proxyMicro }: NextResult): NextSummary {
  const cases = nextCases.map(([variant, route]): NextCaseSummary => {
    const rows = rounds.filter((r) => r.variant === variant && r.route === route);
    const sum = (pick: (row: NextRow) => number) => rows.reduce((s, r) => s + pick(r), 0);
    return {
      variant,
      route,
      requestsPerSecond: median(rows.map((r) => r.requestsPerSecond)),
      p99Ms: median(rows.map((r) => r.p99Ms)),
      cpuMicrosPerRequest: median(rows.map((r) => r.cpuMicrosPerRequest)),
      ...compare(rounds, [variant, route], ['next-none', route]),
      non2xx: sum((r) => r.non2xx),
      setCookieResponses: sum((r) => r.setCookieResponses),
      wrongBodies: sum((r) => r.wrongBodies),
      responses: sum((r) => r.responses),
      idpRequests: sum((r) => r.idpRequests),
    };
  });
  const render: NextRenderSummary[] = [
    ...(['next-none', 'next-kit'] as const).map((variant) => ({
      variant,
      page: '/protected/claims' as const,
      ...compare(rounds, [variant, '/protected/claims'], [variant, '/protected']),
    })),
    {
      variant: 'next-none',
      page: '/protected/cookies',
      ...compare(rounds, ['next-none', '/protected/cookies'], ['next-none', '/protected']),
    },
  ];
  return { cases, render, proxyMicro };
}

const showSpread = (s: Spread) =>
  `${s.median.toFixed(2)} | ${s.min.toFixed(2)}–${s.max.toFixed(2)}`;

/** The markdown of benchmark 8. */
export function nextTable({ cases, render, proxyMicro: micro }: NextSummary): string[] {
  return [
    '### 8. Next.js 16 under `next start` (ratio to the same app built without a proxy)',
    '',
    'Medians of the rounds; ratio and extra CPU are taken per round against the same route of (n1).',
    '',
    '| variant | route | req/s | ratio | ratio range | p99 ms | CPU µs/req | extra CPU µs/req | Set-Cookie responses | non-2xx | wrong bodies | provider requests |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...cases.map(
      (c) =>
        `| ${nextVariantLabels[c.variant]} | \`${c.route}\` | ${c.requestsPerSecond.toFixed(0)} | ${showSpread(c.ratio)} | ${c.p99Ms.toFixed(1)} | ${c.cpuMicrosPerRequest.toFixed(0)} | ${c.extraCpuMicrosPerRequest.toFixed(0)} | ${c.setCookieResponses} of ${c.responses} | ${c.non2xx} | ${c.wrongBodies} | ${c.idpRequests} |`,
    ),
    '',
    "Reading the session in the render: `/protected/claims` (`getLogto().getClaims()`) and `/protected/cookies` (Next's `cookies()` alone, which `getLogto()` calls first) against `/protected` of the same server",
    '',
    '| variant | page | ratio | ratio range | extra CPU µs/req |',
    '|---|---|---:|---:|---:|',
    ...render.map(
      (r) =>
        `| ${nextVariantLabels[r.variant]} | \`${r.page}\` | ${showSpread(r.ratio)} | ${r.extraCpuMicrosPerRequest.toFixed(0)} |`,
    ),
    '',
    `The proxy function alone, in process (micro-next-proxy.ts, medians of ${micro.rounds} rounds of ${micro.callsPerRound} calls, each building its Request): a proxy that only answers \`NextResponse.next()\` ${micro.emptyMicros.toFixed(1)} µs CPU per call; logto-kit's proxy on a signed-in \`/protected\` ${micro.protectedMicros.toFixed(1)} µs (+${(micro.protectedMicros - micro.emptyMicros).toFixed(1)}), on \`/\` ${micro.publicMicros.toFixed(1)} µs (+${(micro.publicMicros - micro.emptyMicros).toFixed(1)}); getClaims()'s own work in a render, without Next's \`cookies()\`, ${micro.claimsMicros.toFixed(1)} µs (+${(micro.claimsMicros - micro.emptyMicros).toFixed(1)}).`,
    '',
  ];
}
