// oidc-provider has no `exports` map, so its internal helpers resolve; this one has no types.
// It is the only internal the dev server touches (to wrap the refresh_token grant handler).
declare module 'oidc-provider/lib/helpers/weak_cache.js' {
  const instance: (provider: object) => {
    grantTypeHandlers: Map<
      string,
      (ctx: import('oidc-provider').KoaContextWithOIDC) => Promise<void>
    >;
    grantTypeParams: Map<string | undefined, Set<string>>;
  };
  export default instance;
}
