// An independent reading of the RFC 9110 §11 grammar, for the differential
// test in grammar-differential.test.ts. It shares no code with src/grammar/:
// every rule below is the ABNF transcribed as a nondeterministic parser that
// returns *every* way a rule can match at a position (memoized per rule and
// position), so no rule makes a greedy choice the ABNF does not make. Slow and
// simple on purpose; for short generated inputs only.
//
//   WWW-Authenticate = #challenge                                    §11.6.1
//   Authorization    = credentials                                   §11.6.2
//   challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ] §11.3
//   credentials      = auth-scheme [ 1*SP ( token68 / #auth-param ) ] §11.4
//   auth-scheme      = token                                          §11.1
//   auth-param       = token BWS "=" BWS ( token / quoted-string )    §11.2
//   token68          = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//   token            = 1*tchar                                        §5.6.2
//   quoted-string    = DQUOTE *( qdtext / quoted-pair ) DQUOTE        §5.6.4
//   qdtext           = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
//   quoted-pair      = "\" ( HTAB / SP / VCHAR / obs-text )
//   obs-text         = %x80-FF
//   OWS = BWS        = *( SP / HTAB )                                 §5.6.3
//   #element (a recipient's reading, §5.6.1.2) = [ element ] *( OWS "," OWS [ element ] )
//   field-value: surrounding whitespace is not part of it (§5.5), so OWS is allowed around the whole value.
//
// Parameter names must not repeat within a challenge or credentials (§11.2);
// scheme and parameter names compare case-insensitively (§11.1, §11.2).

/** A parsed challenge or credentials, names lower-cased, parameters in order. */
export interface ReferenceElement {
  scheme: string;
  token68?: string;
  params: [string, string][];
}

type Results<T> = [end: number, value: T][];

const ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DIGIT = "0123456789";
const TCHAR_SET = new Set(`!#$%&'*+-.^_\`|~${DIGIT}${ALPHA}`);
const TOKEN68_SET = new Set(`-._~+/${DIGIT}${ALPHA}`);

function isQdtext(code: number): boolean {
  return (
    code === 0x09 ||
    code === 0x20 ||
    code === 0x21 ||
    (code >= 0x23 && code <= 0x5b) ||
    (code >= 0x5d && code <= 0x7e) ||
    (code >= 0x80 && code <= 0xff)
  );
}

function isQuotable(code: number): boolean {
  return code === 0x09 || code === 0x20 || (code >= 0x21 && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
}

class Grammar {
  private readonly memo = new Map<string, unknown>();
  constructor(private readonly s: string) {}

  private remember<T>(rule: string, at: number, compute: () => Results<T>): Results<T> {
    const key = `${rule}@${at}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known as Results<T>;
    const found = compute();
    this.memo.set(key, found);
    return found;
  }

  /** OWS / BWS: every end position. */
  ows(at: number): number[] {
    const ends = [at];
    let index = at;
    while (this.s[index] === " " || this.s[index] === "\t") ends.push(++index);
    return ends;
  }

  /** 1*SP: every end position. */
  spaces(at: number): number[] {
    const ends: number[] = [];
    let index = at;
    while (this.s[index] === " ") ends.push(++index);
    return ends;
  }

  /** token: every non-empty prefix of the run of tchar. */
  token(at: number): Results<string> {
    const found: Results<string> = [];
    let index = at;
    while (index < this.s.length && TCHAR_SET.has(this.s[index]!)) {
      index++;
      found.push([index, this.s.slice(at, index)]);
    }
    return found;
  }

  /** token68: 1*body *"=", every split. */
  token68(at: number): Results<string> {
    return this.remember("token68", at, () => {
      const found: Results<string> = [];
      let index = at;
      while (index < this.s.length && TOKEN68_SET.has(this.s[index]!)) {
        index++;
        found.push([index, this.s.slice(at, index)]);
        let equals = index;
        while (this.s[equals] === "=") {
          equals++;
          found.push([equals, this.s.slice(at, equals)]);
        }
      }
      return found;
    });
  }

  quotedString(at: number): Results<string> {
    if (this.s[at] !== '"') return [];
    let value = "";
    let index = at + 1;
    while (index < this.s.length) {
      const code = this.s.charCodeAt(index);
      if (code === 0x22) return [[index + 1, value]];
      if (code === 0x5c) {
        const next = this.s.charCodeAt(index + 1);
        if (!(index + 1 < this.s.length && isQuotable(next))) return [];
        value += this.s[index + 1];
        index += 2;
      } else if (isQdtext(code)) {
        value += this.s[index];
        index++;
      } else {
        return [];
      }
    }
    return [];
  }

  authParam(at: number): Results<[string, string]> {
    return this.remember("auth-param", at, () => {
      const found: Results<[string, string]> = [];
      for (const [nameEnd, name] of this.token(at)) {
        for (const beforeEquals of this.ows(nameEnd)) {
          if (this.s[beforeEquals] !== "=") continue;
          for (const valueStart of this.ows(beforeEquals + 1)) {
            for (const [end, value] of [...this.token(valueStart), ...this.quotedString(valueStart)]) {
              found.push([end, [name.toLowerCase(), value]]);
            }
          }
        }
      }
      return found;
    });
  }

  /** #element as a recipient reads it: [ element ] *( OWS "," OWS [ element ] ). */
  list<T>(rule: string, element: (at: number) => Results<T>, at: number): Results<T[]> {
    return this.remember(`#${rule}`, at, () => {
      const found: Results<T[]> = [[at, []]];
      for (const [end, value] of element(at)) found.push([end, [value]]);
      const seen = new Set<string>();
      for (let next = 0; next < found.length; next++) {
        const [position, values] = found[next]!;
        for (const beforeComma of this.ows(position)) {
          if (this.s[beforeComma] !== ",") continue;
          for (const afterComma of this.ows(beforeComma + 1)) {
            const candidates: Results<T[]> = [[afterComma, values]];
            for (const [end, value] of element(afterComma)) candidates.push([end, [...values, value]]);
            for (const candidate of candidates) {
              const key = `${candidate[0]}:${JSON.stringify(candidate[1])}`;
              if (seen.has(key)) continue;
              seen.add(key);
              found.push(candidate);
            }
          }
        }
      }
      return found;
    });
  }

  /** challenge / credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ] */
  element(at: number): Results<ReferenceElement> {
    return this.remember("element", at, () => {
      const found: Results<ReferenceElement> = [];
      for (const [schemeEnd, name] of this.token(at)) {
        const scheme = name.toLowerCase();
        found.push([schemeEnd, { scheme, params: [] }]);
        for (const afterSpaces of this.spaces(schemeEnd)) {
          for (const [end, token68] of this.token68(afterSpaces)) found.push([end, { scheme, token68, params: [] }]);
          for (const [end, params] of this.list("auth-param", (position) => this.authParam(position), afterSpaces)) {
            found.push([end, { scheme, params }]);
          }
        }
      }
      return found;
    });
  }

  /** Every value of `rule` that spans the whole input, OWS around it allowed. */
  whole<T>(rule: (at: number) => Results<T>): T[] {
    const values = new Map<string, T>();
    for (const start of this.ows(0)) {
      for (const [end, value] of rule(start)) {
        if (this.ows(end).includes(this.s.length)) values.set(JSON.stringify(value), value);
      }
    }
    return [...values.values()];
  }
}

function hasRepeatedName(element: ReferenceElement): boolean {
  const names = element.params.map(([name]) => name);
  return new Set(names).size !== names.length;
}

function single<T>(values: T[], input: string): T | undefined {
  if (values.length > 1) throw new Error(`The reference grammar is ambiguous on ${JSON.stringify(input)}`);
  return values[0];
}

/** The challenges the ABNF reads in `input`, or undefined when it does not match. */
export function referenceChallenges(input: string): ReferenceElement[] | undefined {
  const grammar = new Grammar(input);
  const challenges = single(
    grammar.whole((at) => grammar.list("challenge", (position) => grammar.element(position), at)),
    input,
  );
  return challenges === undefined || challenges.some(hasRepeatedName) ? undefined : challenges;
}

/** The credentials the ABNF reads in `input`, or undefined when it does not match. */
export function referenceCredentials(input: string): ReferenceElement | undefined {
  const grammar = new Grammar(input);
  const credentials = single(
    grammar.whole((at) => grammar.element(at)),
    input,
  );
  return credentials === undefined || hasRepeatedName(credentials) ? undefined : credentials;
}
