/**
 * @module auth/gateway-key-schema
 * What `POST /api/keys` and `switchyard keys create` accept. Kept apart from the key service, which
 * the server loads at start-up, so zod loads only with the admin API or the CLI.
 */
import { z } from "zod";

/** Model ids are `<prefix>/<model>`, a route name, or `<prefix>/*` for every model of a provider. */
const allowedModel = z.string().min(1).max(512).regex(/^\S+$/, "model ids contain no spaces");

/** Body of `POST /api/keys` (and what `switchyard keys create` builds from its flags). */
export const createGatewayKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  models: z.array(allowedModel).min(1, "give at least one model, or leave 'models' out to allow every model").max(1_000).nullish(),
  rpm: z.number().int().positive().max(1_000_000_000).nullish(),
  tpm: z.number().int().positive().max(1_000_000_000_000).nullish(),
  expires_at: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a time zone, e.g. 2030-01-31T00:00:00Z" }).nullish(),
});

/** Validated input of {@link GatewayKeyService.create}. */
export type CreateGatewayKeyInput = z.infer<typeof createGatewayKeySchema>;
