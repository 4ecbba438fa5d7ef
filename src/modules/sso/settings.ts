// What each kind of identity provider is configured with: checked when an administrator saves a
// provider, and again where its row is read (the store), so that a row reads typed by its kind.
import { z } from 'zod';

export const casSettings = z.object({ serverUrl: z.url({ protocol: /^https?$/ }) });
export const oidcSettings = z.object({ issuer: z.url({ protocol: /^https?$/ }), clientId: z.string().min(1).max(200), scopes: z.string().max(300).optional() });
export const samlSettings = z.object({
  entryPoint: z.url({ protocol: /^https?$/ }),
  idpCert: z.string().min(20).max(20_000),
  idpIssuer: z.string().max(500).optional(),
  spEntityId: z.string().max(500).optional(),
});

/** A provider's kind with its settings: `kind` tells which settings a row holds. */
export const kindSettings = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cas'), settings: casSettings }),
  z.object({ kind: z.literal('oidc'), settings: oidcSettings }),
  z.object({ kind: z.literal('saml'), settings: samlSettings }),
]);
export type KindSettings = z.infer<typeof kindSettings>;
