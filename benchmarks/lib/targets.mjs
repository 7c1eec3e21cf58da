// The targets of the benchmark issue, as ratios within one run, evaluated
// from one runtime's results. Each target says what it compared and whether
// it was met; `met` is null when it cannot be judged (a peer missing).

/** Growth of ns/byte from 1 KiB to 1 MiB (1024× the input) still counted as flat. */
export const HOSTILE_FLAT_LIMIT = 2;

function byName(caseResult, name) {
  return caseResult.results.find((result) => result.name === name);
}

function ratio(numerator, denominator) {
  if (numerator === undefined || denominator === undefined || denominator === 0) return null;
  return Number((numerator / denominator).toFixed(3));
}

function fastest(results) {
  let best;
  for (const result of results) if (best === undefined || result.median < best.median) best = result;
  return best;
}

/** A ratio target: httpauth's median over a reference's, against a limit. */
function ratioTarget(caseResult, operation, target, limit, reference, why) {
  const httpauth = byName(caseResult, "httpauth");
  const measured = reference === undefined ? null : ratio(httpauth?.median, reference.median);
  const met = measured === null ? null : measured <= limit && httpauth.correct;
  return {
    case: caseResult.id,
    operation,
    target,
    limit,
    reference: reference?.name ?? null,
    measured,
    met,
    ...(why === undefined ? {} : { note: why }),
  };
}

/** Evaluates every micro-benchmark target against one runtime's case results and hostile rows. */
export function evaluateTargets(cases, hostileRows) {
  const targets = [];
  const get = (id) => cases.find((caseResult) => caseResult.id === id);
  const peers = (caseResult) => caseResult.results.filter((result) => result.kind === "peer");

  for (const id of ["parse-basic-ascii", "parse-basic-utf8"]) {
    const caseResult = get(id);
    const reference = fastest(peers(caseResult).filter((peer) => peer.correct && peer.validates));
    targets.push(
      ratioTarget(
        caseResult,
        `parse Basic credentials (${caseResult.variant})`,
        "≤ 0.5× the fastest validating peer",
        0.5,
        reference,
      ),
    );
  }
  for (const id of ["parse-bearer-short", "parse-bearer-jwt"]) {
    const caseResult = get(id);
    const reference = fastest(peers(caseResult).filter((peer) => peer.correct));
    targets.push(
      ratioTarget(caseResult, `parse Bearer (${caseResult.variant})`, "≤ 0.5× the fastest peer", 0.5, reference),
    );
  }
  for (const id of ["parse-challenge-basic", "parse-challenge-digest"]) {
    const caseResult = get(id);
    const reference = fastest(peers(caseResult).filter((peer) => peer.correct));
    targets.push(
      ratioTarget(caseResult, `parse one challenge (${caseResult.variant})`, "≤ 0.5× the fastest peer", 0.5, reference),
    );
    targets.push(
      ratioTarget(
        caseResult,
        `parse one challenge (${caseResult.variant})`,
        "within 2.5× of a quote-aware charCodeAt scan",
        2.5,
        byName(caseResult, "quote-aware charCodeAt scan"),
      ),
    );
  }
  {
    const caseResult = get("parse-challenge-list");
    const httpauth = byName(caseResult, "httpauth");
    const correctPeers = peers(caseResult).filter((peer) => peer.correct);
    targets.push({
      case: caseResult.id,
      operation: "parse a list of three challenges",
      target: "correct (no peer is)",
      limit: null,
      reference: null,
      measured: httpauth.correct,
      met: httpauth.correct,
      note:
        correctPeers.length === 0
          ? "no peer returns the three challenges"
          : `correct peers: ${correctPeers.map((peer) => peer.name).join(", ")}`,
    });
    // The fastest peer that returned anything at all, right or wrong; a peer that throws is not counted.
    const reference = fastest(peers(caseResult).filter((peer) => peer.outcome !== "threw"));
    targets.push(
      ratioTarget(
        caseResult,
        "parse a list of three challenges",
        "≤ 0.5× the fastest peer's time on it (right or wrong)",
        0.5,
        reference,
      ),
    );
  }
  for (const id of ["serialize-bearer", "serialize-digest"]) {
    const caseResult = get(id);
    targets.push(
      ratioTarget(
        caseResult,
        `serialize a challenge (${caseResult.variant})`,
        "≤ 1.0× http-auth-utils (which validates and escapes nothing)",
        1,
        byName(caseResult, "http-auth-utils"),
      ),
    );
  }
  // DPoP (issue 17): no slower than jose's jwtVerify of the same proof, on every algorithm.
  for (const caseResult of cases.filter((entry) => entry.id.startsWith("verify-dpop-"))) {
    targets.push(
      ratioTarget(
        caseResult,
        `verify a DPoP proof (${caseResult.variant})`,
        "≤ 1.0× jose jwtVerify of the same proof",
        1,
        byName(caseResult, "jose jwtVerify(EmbeddedJWK)"),
      ),
    );
  }
  if (hostileRows !== undefined) {
    const worst = hostileRows.reduce(
      (current, row) => (row["1 MiB ÷ 1 KiB"] > current["1 MiB ÷ 1 KiB"] ? row : current),
      hostileRows[0],
    );
    targets.push({
      case: "hostile",
      operation: "hostile input",
      target: `flat ns per byte from 1 KiB to 1 MiB (growth ≤ ${HOSTILE_FLAT_LIMIT}× over 1024× the input)`,
      limit: HOSTILE_FLAT_LIMIT,
      reference: worst.shape,
      measured: worst["1 MiB ÷ 1 KiB"],
      met: worst["1 MiB ÷ 1 KiB"] <= HOSTILE_FLAT_LIMIT,
      note: `worst shape: ${worst.shape}`,
    });
  }
  return targets;
}
