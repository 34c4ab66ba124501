import type { Callable, Declaration, NExpr, NmodlFile, Stmt, UseIon } from "./ast.js";
import { nmodlError, type Token, tokenize } from "./lexer.js";

/**
 * A recursive-descent parser for the NMODL language of density mechanisms (NEURON's `.mod` files).
 *
 * Top level: TITLE, NEURON, UNITS, PARAMETER, CONSTANT, ASSIGNED, STATE, INDEPENDENT, INITIAL, BREAKPOINT,
 * DERIVATIVE, PROCEDURE, FUNCTION, DEFINE, UNITSON/UNITSOFF. Statements: LOCAL, assignment, `x' = …`,
 * calls, if/else, SOLVE … METHOD, TABLE … DEPEND … FROM … TO … WITH, nested braces, UNITSON/UNITSOFF,
 * CONDUCTANCE (a hint, ignored). Expressions with NMODL's precedence: `||`, `&&`, relations, `+ -`,
 * `* /`, unary `-`/`!`, then `^` (right-associative, tighter than unary minus: −x^2 = −(x²)); a number
 * may carry a unit, `10 (mV)`. Anything else — KINETIC, POINT_PROCESS, NET_RECEIVE, loops, arrays,
 * VERBATIM — is an error naming the file, the line and what is allowed.
 */

const REFUSED_BLOCKS: Record<string, string> = {
  KINETIC:
    "KINETIC schemes (Markov models) are not supported yet: their states are coupled through the reactions, and the model format holds independent gates only (a two-state scheme can be written as a DERIVATIVE block, o' = a*(1 - o) - b*o)",
  NET_RECEIVE: "NET_RECEIVE belongs to point processes and synapses, which are not supported",
  LINEAR: "LINEAR blocks are not supported",
  NONLINEAR: "NONLINEAR blocks are not supported",
  FUNCTION_TABLE: "FUNCTION_TABLE is not supported",
  CONSTRUCTOR: "CONSTRUCTOR blocks are not supported",
  DESTRUCTOR: "DESTRUCTOR blocks are not supported",
  BEFORE: "BEFORE blocks are not supported",
  AFTER: "AFTER blocks are not supported",
  DISCRETE: "DISCRETE blocks are not supported",
  PARTIAL: "PARTIAL blocks are not supported",
  INCLUDE: "INCLUDE is not supported (put the included text in the file)",
  STEADYSTATE: "STEADYSTATE is not supported",
};

/** Levels of nesting an NMODL file may use (as MAX_EXPR_DEPTH of the expression language). */
export const MAX_NESTING = 64;

const TOP_LEVEL =
  "NEURON, UNITS, PARAMETER, CONSTANT, ASSIGNED, STATE, INDEPENDENT, INITIAL, BREAKPOINT, DERIVATIVE, PROCEDURE, FUNCTION, DEFINE, TITLE, COMMENT, UNITSON, UNITSOFF";

/** NEURON's values of the named units a UNITS block may bind (nrnunits.lib of NEURON 8.2). */
const NAMED_UNITS: Record<string, number> = {
  faraday: 96485.33212331001,
  // R = (k-mole) (joule/degC) is 8.314… in NEURON 8.2.2 (measured: cachan.mod's ghk() evaluated by NEURON), not 8314
  "k-mole": 8.31446261815324,
  R: 8.31446261815324,
  pi: Math.PI,
};

/** Parses NMODL text into its syntax tree; errors name `file`, the line and the construct. Browser-safe (no file access). */
export function parseNmodl(text: string, file = "mechanism.mod"): NmodlFile {
  const tokens = tokenize(text, file);
  let p = 0;
  const peek = (k = 0): Token => tokens[Math.min(p + k, tokens.length - 1)] as Token;
  const next = (): Token => tokens[p++ < tokens.length ? p - 1 : tokens.length - 1] as Token;
  const fail = (t: Token, message: string) => nmodlError(file, t.line, message);
  const describe = (t: Token) => (t.kind === "eof" ? "the end of the file" : JSON.stringify(t.text));
  const isOp = (op: string, k = 0) => peek(k).kind === "op" && peek(k).text === op;
  const isWord = (w: string, k = 0) => peek(k).kind === "name" && peek(k).text === w;
  const expectOp = (op: string, what: string) => {
    const t = next();
    if (t.kind !== "op" || t.text !== op) throw fail(t, `expected "${op}" ${what}; got ${describe(t)}`);
  };
  const expectName = (what: string): Token => {
    const t = next();
    if (t.kind !== "name") throw fail(t, `expected ${what}; got ${describe(t)}`);
    return t;
  };
  const skipUnitsOnOff = () => {
    while (isWord("UNITSON") || isWord("UNITSOFF")) p++;
  };

  /** `(mV)`, `(S/cm2)`, `(/ms)`, `(k-mole)`: the text between the parentheses. */
  const unit = (): string => {
    const open = next();
    let depth = 1;
    let out = "";
    for (;;) {
      const t = next();
      if (t.kind === "eof") throw fail(open, "unit without closing parenthesis");
      if (t.kind === "op" && t.text === "(") depth++;
      if (t.kind === "op" && t.text === ")" && --depth === 0) return out;
      out += t.text;
    }
  };
  const signedNumber = (what: string): { value: number; text: string } => {
    let sign = "";
    if (isOp("-") || isOp("+")) sign = next().text === "-" ? "-" : "";
    const t = next();
    if (t.kind !== "num") throw fail(t, `expected a number for ${what}; got ${describe(t)}`);
    return { value: sign === "-" ? -t.value : t.value, text: sign + t.text };
  };

  // ---- expressions ----
  // nesting (parentheses, calls, signs, blocks) is bounded as the expression language bounds it: hostile input
  // gets a one-line error, never a stack overflow
  let depth = 0;
  const deeper = <T>(t: Token, f: () => T): T => {
    if (++depth > MAX_NESTING)
      throw fail(t, `nesting deeper than ${MAX_NESTING} levels (parentheses, calls, signs, blocks) is not allowed`);
    try {
      return f();
    } finally {
      depth--;
    }
  };
  const expr = (): NExpr => deeper(peek(), or);
  const binary = (ops: readonly string[], sub: () => NExpr) => (): NExpr => {
    let left = sub();
    while (peek().kind === "op" && ops.includes(peek().text)) {
      const t = next();
      left = { type: "bin", op: t.text as "+", left, right: sub(), line: t.line };
    }
    return left;
  };
  const unaryExpr = (): NExpr => {
    if (isOp("-") || isOp("!")) {
      const t = next();
      return { type: "unary", op: t.text as "-" | "!", arg: deeper(t, unaryExpr), line: t.line };
    }
    if (isOp("+")) {
      p++;
      return unaryExpr();
    }
    return power();
  };
  const power = (): NExpr => {
    const base = atom();
    if (isOp("^")) {
      const t = next();
      return { type: "bin", op: "^", left: base, right: unaryExpr(), line: t.line };
    }
    return base;
  };
  const atom = (): NExpr => {
    const t = next();
    if (t.kind === "num") {
      if (isOp("(")) unit(); // a number with a unit: 10 (mV)
      return { type: "num", value: t.value, text: t.text, line: t.line };
    }
    if (t.kind === "name") {
      if (isOp("[")) throw fail(t, `arrays (${t.text}[…]) are not supported`);
      if (!isOp("(")) return { type: "name", name: t.text, line: t.line };
      p++;
      const args: NExpr[] = [];
      if (!isOp(")")) {
        args.push(expr());
        while (isOp(",")) {
          p++;
          args.push(expr());
        }
      }
      expectOp(")", `to close the arguments of ${t.text}`);
      return { type: "call", name: t.text, args, line: t.line };
    }
    if (t.kind === "op" && t.text === "(") {
      const e = expr();
      expectOp(")", "to close a parenthesis");
      return e;
    }
    throw fail(t, `expected a number, a name, a call or "(" in an expression; got ${describe(t)}`);
  };
  const mul = binary(["*", "/", "%"], unaryExpr);
  const add = binary(["+", "-"], mul);
  const rel = binary(["<", ">", "<=", ">=", "==", "!="], add);
  const and = binary(["&&"], rel);
  const or = binary(["||"], and);

  // ---- statements ----
  const nameList = (): string[] => {
    const names = [expectName("a name").text];
    while (isOp(",")) {
      p++;
      names.push(expectName("a name").text);
    }
    return names;
  };
  const block = (what: string): Stmt[] => deeper(peek(), () => blockBody(what));
  const blockBody = (what: string): Stmt[] => {
    expectOp("{", `to open ${what}`);
    const body: Stmt[] = [];
    for (;;) {
      skipUnitsOnOff();
      if (isOp("}")) {
        p++;
        return body;
      }
      if (peek().kind === "eof") throw fail(peek(), `${what} is not closed by "}"`);
      const s = statement(what);
      if (s) body.push(s);
    }
  };
  const statement = (where: string): Stmt | undefined => {
    const t = peek();
    if (t.kind === "prime") {
      p++;
      expectOp("=", `after ${t.text}'`);
      return { type: "derivative", name: t.text, value: expr(), line: t.line };
    }
    if (t.kind === "op" && t.text === "{") return { type: "block", body: block("a block"), line: t.line };
    if (t.kind === "op" && t.text === "~") throw fail(t, "reactions (~) belong to KINETIC schemes, which are not supported yet");
    if (t.kind !== "name") throw fail(t, `expected a statement in ${where}; got ${describe(t)}`);
    switch (t.text) {
      case "LOCAL":
        p++;
        return { type: "local", names: nameList(), line: t.line };
      case "TABLE": {
        p++;
        const names = isWord("DEPEND") || isWord("FROM") ? [] : nameList();
        if (isWord("DEPEND")) {
          p++;
          nameList();
        }
        if (!isWord("FROM")) throw fail(peek(), `expected FROM in TABLE; got ${describe(peek())}`);
        p++;
        expr();
        if (!isWord("TO")) throw fail(peek(), `expected TO in TABLE; got ${describe(peek())}`);
        p++;
        expr();
        if (!isWord("WITH")) throw fail(peek(), `expected WITH in TABLE; got ${describe(peek())}`);
        p++;
        expr();
        return { type: "table", names, line: t.line };
      }
      case "SOLVE": {
        p++;
        const name = expectName("the name of the block to SOLVE").text;
        let method: string | undefined;
        if (isWord("METHOD")) {
          p++;
          method = expectName("a METHOD (cnexp, derivimplicit, euler)").text;
        }
        if (isWord("STEADYSTATE")) throw fail(peek(), "SOLVE … STEADYSTATE is not supported");
        return { type: "solve", name, method, line: t.line };
      }
      case "CONDUCTANCE":
        p++;
        expectName("a conductance name");
        if (isWord("USEION")) {
          p++;
          expectName("an ion name");
        }
        return undefined;
      case "if": {
        p++;
        expectOp("(", "after if");
        const cond = expr();
        expectOp(")", "to close the condition of if");
        const then = block("the body of if");
        let otherwise: Stmt[] | undefined;
        skipUnitsOnOff();
        if (isWord("else")) {
          p++;
          if (isWord("if")) {
            const s = statement(where) as Stmt;
            otherwise = [s];
          } else otherwise = block("the body of else");
        }
        return { type: "if", cond, then, otherwise, line: t.line };
      }
      case "else":
        throw fail(t, "else without if");
      case "while":
      case "for":
      case "FROM":
        throw fail(t, `loops (${t.text}) are not supported in rate code`);
      case "CONSERVE":
      case "COMPARTMENT":
        throw fail(t, `${t.text} belongs to KINETIC schemes, which are not supported yet`);
      case "VERBATIM":
        throw fail(t, "VERBATIM is not supported");
    }
    p++;
    if (isOp("=")) {
      p++;
      return { type: "assign", name: t.text, value: expr(), line: t.line };
    }
    if (isOp("(")) {
      p--;
      const call = atom() as Extract<NExpr, { type: "call" }>;
      return { type: "call", name: call.name, args: call.args, line: t.line };
    }
    if (isOp("[")) throw fail(t, `arrays (${t.text}[…]) are not supported`);
    throw fail(peek(), `expected "=" or "(" after ${t.text} in ${where}; got ${describe(peek())}`);
  };

  // ---- declaration blocks ----
  const declarations = (what: string, opts: { allowValue: boolean }): Declaration[] => {
    expectOp("{", `to open ${what}`);
    const out: Declaration[] = [];
    for (;;) {
      skipUnitsOnOff();
      if (isOp("}")) {
        p++;
        return out;
      }
      const t = expectName(`a variable name in ${what} (or "}")`);
      if (isOp("[")) throw fail(t, `arrays (${t.text}[…]) are not supported`);
      const d: { name: string; value?: { value: number; text: string }; unit?: string; range?: [number, number]; line: number } = {
        name: t.text,
        line: t.line,
      };
      if (isOp("=")) {
        if (!opts.allowValue) throw fail(peek(), `${what} declares names; values belong in PARAMETER`);
        p++;
        d.value = signedNumber(`${t.text} in ${what}`);
      }
      if (isOp("(")) d.unit = unit();
      if (isWord("FROM")) {
        p++;
        const lo = signedNumber(`FROM of ${t.text}`).value;
        if (!isWord("TO")) throw fail(peek(), `expected TO after FROM in ${what}`);
        p++;
        const hi = signedNumber(`TO of ${t.text}`).value;
        d.range = [lo, hi];
        if (isWord("WITH")) {
          p++;
          signedNumber("WITH");
        }
        if (isOp("(")) d.unit = unit();
      }
      if (isOp("<")) {
        p++;
        const lo = signedNumber(`the lower bound of ${t.text}`).value;
        let hi = Number.POSITIVE_INFINITY; // <lo> alone is a lower bound
        if (isOp(",")) {
          p++;
          hi = signedNumber(`the upper bound of ${t.text}`).value;
        }
        expectOp(">", `to close the bounds of ${t.text}`);
        d.range = [lo, hi];
      }
      out.push(d);
    }
  };

  const file_: {
    file: string;
    title?: string;
    suffix?: { name: string; line: number };
    ions: UseIon[];
    nonspecific: { name: string; line: number }[];
    range: string[];
    global: string[];
    unitConstants: Map<string, { value: number; line: number }>;
    parameters: Declaration[];
    constants: Declaration[];
    assigned: Declaration[];
    states: Declaration[];
    initial?: { body: Stmt[]; line: number };
    breakpoint?: { body: Stmt[]; line: number };
    derivatives: Map<string, { body: Stmt[]; line: number }>;
    procedures: Map<string, Callable>;
    functions: Map<string, Callable>;
    tables: number[];
  } = {
    file,
    ions: [],
    nonspecific: [],
    range: [],
    global: [],
    unitConstants: new Map(),
    parameters: [],
    constants: [],
    assigned: [],
    states: [],
    derivatives: new Map(),
    procedures: new Map(),
    functions: new Map(),
    tables: [],
  };

  const neuronBlock = () => {
    expectOp("{", "to open NEURON");
    for (;;) {
      const t = next();
      if (t.kind === "op" && t.text === "}") return;
      if (t.kind !== "name") throw fail(t, `expected a NEURON statement; got ${describe(t)}`);
      switch (t.text) {
        case "SUFFIX":
          file_.suffix = { name: expectName("the mechanism's name after SUFFIX").text, line: t.line };
          break;
        case "POINT_PROCESS":
        case "ARTIFICIAL_CELL":
          throw fail(
            t,
            `${t.text} is not supported: spikelab reads density mechanisms (SUFFIX), whose currents are per unit area (mA/cm2)`,
          );
        case "USEION": {
          const ion = expectName("an ion name after USEION").text;
          const read: string[] = [];
          const write: string[] = [];
          let valence: number | undefined;
          for (;;) {
            if (isWord("READ")) {
              p++;
              read.push(...nameList());
            } else if (isWord("WRITE")) {
              p++;
              write.push(...nameList());
            } else if (isWord("VALENCE")) {
              p++;
              valence = signedNumber("VALENCE").value;
            } else if (isWord("REPRESENTS")) {
              p++;
              next();
            } else break;
          }
          file_.ions.push({ ion, read, write, ...(valence === undefined ? {} : { valence }), line: t.line });
          break;
        }
        case "NONSPECIFIC_CURRENT":
          for (const name of nameList()) file_.nonspecific.push({ name, line: t.line });
          break;
        case "ELECTRODE_CURRENT":
          throw fail(t, "ELECTRODE_CURRENT is not supported (an electrode is spikelab's stimulus)");
        case "RANGE":
          file_.range.push(...nameList());
          break;
        case "GLOBAL":
          file_.global.push(...nameList());
          break;
        case "POINTER":
        case "BBCOREPOINTER":
          throw fail(t, `${t.text} is not supported (a mechanism reads only its own variables, v and ions)`);
        case "EXTERNAL":
          throw fail(t, "EXTERNAL is not supported");
        case "THREADSAFE":
          break;
        case "REPRESENTS":
          next();
          break;
        default:
          throw fail(
            t,
            `unknown NEURON statement ${t.text}; allowed: SUFFIX, USEION … READ … WRITE … VALENCE, NONSPECIFIC_CURRENT, RANGE, GLOBAL, THREADSAFE, REPRESENTS`,
          );
      }
    }
  };

  const unitsBlock = () => {
    expectOp("{", "to open UNITS");
    for (;;) {
      skipUnitsOnOff();
      if (isOp("}")) {
        p++;
        return;
      }
      if (isOp("(")) {
        unit();
        expectOp("=", "in a UNITS definition");
        unit();
        continue;
      }
      const t = expectName('a unit definition "(mV) = (millivolt)" or a named constant "FARADAY = (faraday) (coulomb)"');
      expectOp("=", `after ${t.text} in UNITS`);
      if (peek().kind === "num" || isOp("-")) {
        const v = signedNumber(t.text).value;
        if (isOp("(")) unit();
        file_.unitConstants.set(t.text, { value: v, line: t.line });
        continue;
      }
      const u = unit();
      const value = NAMED_UNITS[u];
      if (value === undefined)
        throw fail(t, `unknown named unit (${u}) for ${t.text}; allowed: ${Object.keys(NAMED_UNITS).join(", ")} or a number`);
      if (isOp("(")) unit();
      file_.unitConstants.set(t.text, { value, line: t.line });
    }
  };

  const callable = (kind: "PROCEDURE" | "FUNCTION"): Callable => {
    const t = expectName(`the ${kind}'s name`);
    expectOp("(", `after ${kind} ${t.text}`);
    const params: { name: string; unit?: string }[] = [];
    if (!isOp(")")) {
      for (;;) {
        const a = expectName(`a parameter name of ${t.text}`).text;
        params.push(isOp("(") ? { name: a, unit: unit() } : { name: a });
        if (!isOp(",")) break;
        p++;
      }
    }
    expectOp(")", `to close the parameters of ${t.text}`);
    if (isOp("(")) unit();
    return { name: t.text, params, body: block(`${kind} ${t.text}`), line: t.line };
  };

  for (;;) {
    skipUnitsOnOff();
    const t = next();
    if (t.kind === "eof") break;
    if (t.kind === "title") {
      file_.title = t.text;
      continue;
    }
    if (t.kind !== "name") throw fail(t, `expected a block (${TOP_LEVEL}); got ${describe(t)}`);
    const refused = REFUSED_BLOCKS[t.text];
    if (refused) throw fail(t, `${refused}; allowed blocks: ${TOP_LEVEL}`);
    switch (t.text) {
      case "NEURON":
        neuronBlock();
        break;
      case "UNITS":
        unitsBlock();
        break;
      case "PARAMETER":
        file_.parameters.push(...declarations("PARAMETER", { allowValue: true }));
        break;
      case "CONSTANT":
        file_.constants.push(...declarations("CONSTANT", { allowValue: true }));
        break;
      case "ASSIGNED":
        file_.assigned.push(...declarations("ASSIGNED", { allowValue: false }));
        break;
      case "STATE":
        file_.states.push(...declarations("STATE", { allowValue: false }));
        break;
      case "LOCAL":
        // file-level LOCAL: variables shared by the blocks, as ASSIGNED
        for (const name of nameList()) file_.assigned.push({ name, line: t.line });
        break;
      case "INDEPENDENT":
        declarations("INDEPENDENT", { allowValue: false });
        break;
      case "DEFINE": {
        const n = expectName("a name after DEFINE");
        const v = signedNumber(`DEFINE ${n.text}`);
        file_.constants.push({ name: n.text, value: v, line: n.line });
        break;
      }
      case "INITIAL":
        file_.initial = { body: block("INITIAL"), line: t.line };
        break;
      case "BREAKPOINT":
        file_.breakpoint = { body: block("BREAKPOINT"), line: t.line };
        break;
      case "DERIVATIVE": {
        const name = expectName("the DERIVATIVE block's name").text;
        file_.derivatives.set(name, { body: block(`DERIVATIVE ${name}`), line: t.line });
        break;
      }
      case "PROCEDURE": {
        const c = callable("PROCEDURE");
        file_.procedures.set(c.name, c);
        break;
      }
      case "FUNCTION": {
        const c = callable("FUNCTION");
        file_.functions.set(c.name, c);
        break;
      }
      default:
        throw fail(t, `unknown block ${t.text}; allowed: ${TOP_LEVEL}`);
    }
  }
  const collectTables = (body: readonly Stmt[]) => {
    for (const s of body) {
      if (s.type === "table") file_.tables.push(s.line);
      if (s.type === "block") collectTables(s.body);
      if (s.type === "if") {
        collectTables(s.then);
        if (s.otherwise) collectTables(s.otherwise);
      }
    }
  };
  for (const c of [...file_.procedures.values(), ...file_.functions.values()]) collectTables(c.body);
  return file_;
}
