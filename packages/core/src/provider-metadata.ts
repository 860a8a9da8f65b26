/**
 * The shape of the provider's discovery document. Its own module so that the process-wide
 * registry (`lib/registry.ts`) and discovery (`discovery.ts`, which re-exports it) can both use
 * it without importing each other.
 *
 * @module
 */
import { z } from 'zod';

const endpointUrl = z.string().min(1);

/**
 * The schema of the discovery document fields this client uses; other fields are kept.
 *
 * @example
 * ```ts
 * providerMetadataSchema.parse(await response.json());
 * ```
 */
export const providerMetadataSchema = z.looseObject({
  issuer: z.string().min(1),
  authorization_endpoint: endpointUrl,
  token_endpoint: endpointUrl,
  jwks_uri: endpointUrl,
  userinfo_endpoint: endpointUrl.optional(),
  end_session_endpoint: endpointUrl.optional(),
  revocation_endpoint: endpointUrl.optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
});

/**
 * The provider's discovery document (the fields this client relies on, plus the rest).
 *
 * @example
 * ```ts
 * const metadata: ProviderMetadata = await fetchProviderMetadata(client.config);
 * ```
 */
export type ProviderMetadata = z.infer<typeof providerMetadataSchema>;
