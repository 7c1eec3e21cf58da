/**
 * The scopes a route asks `authenticate(request, { scopes })` for, checked:
 * scope-tokens (RFC 6749 §3.3), bounded in number and length.
 *
 * @module
 */

/** The most scopes a route may ask for, and the longest scope: far above real ones, a bound on the work. */
const MAX_ROUTE_SCOPES = 64;
const MAX_SCOPE_LENGTH = 256;

/** Checks `authenticate`'s `options.scopes`: scope-tokens (RFC 6749 §3.3), returned as a frozen list. */
export function routeScopes(options: { scopes?: readonly string[] } | undefined): readonly string[] {
  if (options === undefined) return NO_SCOPES;
  if (typeof options !== "object" || options === null) {
    throw new TypeError('authenticate(): options must be an object such as { scopes: ["read"] }');
  }
  const { scopes } = options;
  if (scopes === undefined || (Array.isArray(scopes) && scopes.length === 0)) return NO_SCOPES;
  if (!Array.isArray(scopes) || scopes.length > MAX_ROUTE_SCOPES) {
    throw new TypeError(`authenticate(): options.scopes must be an array of at most ${MAX_ROUTE_SCOPES} scope-tokens`);
  }
  for (const scope of scopes) {
    if (typeof scope !== "string" || scope.length === 0 || scope.length > MAX_SCOPE_LENGTH || !isScopeToken(scope)) {
      throw new TypeError(
        `authenticate(): every scope must be a scope-token of 1 to ${MAX_SCOPE_LENGTH} characters in %x21 / %x23-5B / %x5D-7E (RFC 6749 §3.3), such as "read"`,
      );
    }
  }
  return Object.freeze([...scopes]);
}

const NO_SCOPES: readonly string[] = Object.freeze([]);

/** scope-token = 1*NQCHAR; NQCHAR = %x21 / %x23-5B / %x5D-7E (RFC 6749 Appendix A). */
function isScopeToken(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x21 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}
