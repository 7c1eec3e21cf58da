#!/usr/bin/env node
// httpauth-lint URL [--proxy] [--follow] [--allow-no-challenge] [-H "Name: value"]...
//
// Requests URL once (without credentials unless a header gives them), reads
// the challenge lines exactly as the server sent them — raw, one entry per
// field line, which fetch() cannot do because it joins them — and prints
// what @httpauth/core's lintChallenges() finds.
//
// - A 407 is linted as a proxy answer (Proxy-Authenticate) without --proxy;
//   --proxy reads Proxy-Authenticate whatever the status.
// - A redirect is not followed unless --follow is given (then up to 5 hops,
//   credentials dropped when the origin changes); without it the tool says
//   where the redirect goes and that it did not follow it.
// - A response with no challenge that is not a 401/407 (a 200, a 404, a
//   redirect not followed) has nothing to lint: the tool says so and exits 3,
//   or 0 with --allow-no-challenge.
//
// Exit code: 0 when nothing is wrong, 1 when an error-level finding is
// reported, 2 on a usage or network error, 3 when there was nothing to lint.

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { lintChallenges } from "@httpauth/core";

const USAGE = 'usage: httpauth-lint URL [--proxy] [--follow] [--allow-no-challenge] [-H "Name: value"]...';
const MAX_REDIRECTS = 5;

function usage(message) {
  if (message) console.error(`httpauth-lint: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

function parseArguments(args) {
  const options = { target: undefined, proxy: false, follow: false, allowNoChallenge: false, headers: {} };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === "--proxy") options.proxy = true;
    else if (arg === "--follow") options.follow = true;
    else if (arg === "--allow-no-challenge") options.allowNoChallenge = true;
    else if (arg === "-H" || arg === "--header") {
      const line = args[++index] ?? usage("-H needs a value");
      const colon = line.indexOf(":");
      if (colon < 1) usage(`not a header line: ${line}`);
      options.headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    } else if (arg === "-h" || arg === "--help") usage();
    else if (options.target === undefined) options.target = arg;
    else usage(`unexpected argument: ${arg}`);
  }
  if (options.target === undefined) usage("give a URL");
  return options;
}

function parseURL(target) {
  let url;
  try {
    url = new URL(target);
  } catch {
    usage(`not a URL: ${target}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") usage("the URL must be http: or https:");
  return url;
}

/** One GET; resolves with the status, the raw header pairs and the Location. */
function get(url, headers) {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const outgoing = send(url, { method: "GET", headers, timeout: 10_000 }, (response) => {
      response.resume();
      resolve({ status: response.statusCode, raw: response.rawHeaders, location: response.headers.location });
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error("no answer within 10 s")));
    outgoing.on("error", reject);
    outgoing.end();
  });
}

function isCredentialsHeader(name) {
  return ["authorization", "proxy-authorization"].includes(name.toLowerCase());
}

/** GET, following redirects when asked; returns the last response and its URL. */
async function fetchFinal(url, options) {
  let current = url;
  let headers = options.headers;
  for (let hop = 0; ; hop++) {
    const response = await get(current, headers);
    const redirect = response.status >= 300 && response.status < 400 && response.location !== undefined;
    if (!redirect) return { response, url: current };
    const next = new URL(response.location, current);
    if (!options.follow || hop === MAX_REDIRECTS) {
      console.log(`${response.status} ${current.href}`);
      const why = options.follow ? `after ${MAX_REDIRECTS} redirects` : "pass --follow, or lint that URL";
      console.log(`  redirect to ${next.href}, not followed (${why})`);
      return { response, url: current, redirectNotFollowed: true };
    }
    console.log(`${response.status} ${current.href}`);
    console.log(`  redirect to ${next.href}, followed`);
    if (next.origin !== current.origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !isCredentialsHeader(name)));
    }
    current = next;
  }
}

function report(findings) {
  for (const finding of findings) {
    console.log(`${finding.severity}: ${finding.rule} (${finding.rfc})`);
    console.log(`  ${finding.message}`);
    console.log(`  breaks: ${finding.breaks.join(", ")}`);
  }
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const url = parseURL(options.target);
  const requestHadCredentials = Object.keys(options.headers).some(isCredentialsHeader);
  const final = await fetchFinal(url, options);
  const { status, raw } = final.response;
  // A 407 comes from a proxy: its challenges are in Proxy-Authenticate (RFC 9110 §11.7.1).
  const field = options.proxy || status === 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
  const lines = [];
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index].toLowerCase() === field.toLowerCase()) lines.push(raw[index + 1]);
  }
  const findings = lintChallenges(lines, { status, requestHadCredentials, field });
  if (!final.redirectNotFollowed) console.log(`${status} ${final.url.href}`);
  if (status === 407 && !options.proxy) console.log("  a 407: linting Proxy-Authenticate");
  for (const line of lines) console.log(`  ${field}: ${line}`);
  report(findings);
  if (findings.length === 0 && lines.length === 0 && status !== 401 && status !== 407) {
    console.log(`nothing to lint: the server did not challenge (${status})`);
    return options.allowNoChallenge ? 0 : 3;
  }
  if (findings.length === 0) console.log("no findings");
  return findings.some((finding) => finding.severity === "error") ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`httpauth-lint: ${error.message}`);
    process.exitCode = 2;
  },
);
