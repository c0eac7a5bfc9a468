/**
 * @module config/name-patterns
 * Name rules shared by the config schema and code that must not load zod at start-up.
 */

/** Route names are what clients send as `model`; they never contain `/`, so they cannot shadow a model id. */
export const ROUTE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
