// What a web adapter cannot do by the nature of its framework, each with the reason. The
// behaviour and failure suites skip the rows that need it with that reason as the skip message,
// so a test report says why a row did not run; an adapter that can, leaves it out.

/** Each limit an adapter declares, as the reason printed for the rows it skips. */
export interface AdapterLimits {
  /**
   * Marking the response of an app route that read the session `no-store` / `Vary: Cookie`
   * (the app's own `Cache-Control` winning).
   */
  readonly markSessionReads?: string;
}

/** The `skip` option of a row that needs `limit`: its reason, or `false` to run it. */
export const unless = (limits: AdapterLimits | undefined, limit: keyof AdapterLimits) =>
  limits?.[limit] ?? false;
