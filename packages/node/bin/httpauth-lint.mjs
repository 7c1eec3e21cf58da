#!/usr/bin/env node
// httpauth-lint URL [--proxy] [-H "Name: value"]...
//
// Requests URL once (without credentials unless a header gives them), reads
// the challenge lines exactly as the server sent them — raw, one entry per
// field line, which fetch() cannot do because it joins them — and prints
// what @httpauth/core's lintChallenges() finds. Exit code: 0 when nothing is
// wrong, 1 when an error-level finding is reported, 2 on a usage or network error.

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { lintChallenges } from "@httpauth/core";

function usage(message) {
  if (message) console.error(`httpauth-lint: ${message}`);
  console.error('usage: httpauth-lint URL [--proxy] [-H "Name: value"]...');
  process.exit(2);
}

const args = process.argv.slice(2);
let target;
let proxy = false;
const headers = {};
for (let index = 0; index < args.length; index++) {
  const arg = args[index];
  if (arg === "--proxy") proxy = true;
  else if (arg === "-H" || arg === "--header") {
    const line = args[++index] ?? usage("-H needs a value");
    const colon = line.indexOf(":");
    if (colon < 1) usage(`not a header line: ${line}`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  } else if (arg === "-h" || arg === "--help") usage();
  else if (target === undefined) target = arg;
  else usage(`unexpected argument: ${arg}`);
}
if (target === undefined) usage("give a URL");

let url;
try {
  url = new URL(target);
} catch {
  usage(`not a URL: ${target}`);
}
if (url.protocol !== "http:" && url.protocol !== "https:") usage("the URL must be http: or https:");

const field = proxy ? "proxy-authenticate" : "www-authenticate";
const requestHadCredentials = Object.keys(headers).some((name) =>
  ["authorization", "proxy-authorization"].includes(name.toLowerCase()),
);

const send = url.protocol === "https:" ? httpsRequest : httpRequest;
const outgoing = send(url, { method: "GET", headers, timeout: 10_000 }, (response) => {
  const lines = [];
  const raw = response.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index].toLowerCase() === field) lines.push(raw[index + 1]);
  }
  response.resume();
  const findings = lintChallenges(lines, {
    status: response.statusCode,
    requestHadCredentials,
    field: proxy ? "Proxy-Authenticate" : "WWW-Authenticate",
  });
  console.log(`${response.statusCode} ${url.href}`);
  for (const line of lines) console.log(`  ${proxy ? "Proxy-Authenticate" : "WWW-Authenticate"}: ${line}`);
  if (findings.length === 0) {
    console.log("no findings");
  }
  for (const finding of findings) {
    console.log(`${finding.severity}: ${finding.rule} (${finding.rfc})`);
    console.log(`  ${finding.message}`);
    console.log(`  breaks: ${finding.breaks.join(", ")}`);
  }
  process.exitCode = findings.some((finding) => finding.severity === "error") ? 1 : 0;
});
outgoing.on("timeout", () => outgoing.destroy(new Error("no answer within 10 s")));
outgoing.on("error", (error) => {
  console.error(`httpauth-lint: ${error.message}`);
  process.exitCode = 2;
});
outgoing.end();
