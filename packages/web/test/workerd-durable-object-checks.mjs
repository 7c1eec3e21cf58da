// The authenticator checks of workerd-durable-object.mjs (filled in once the
// store contracts of issue 13 are merged).

/** Runs the checks against the two services; adds to `results`. */
export async function checkAuthenticator(_origin, _results, _timeout) {}
