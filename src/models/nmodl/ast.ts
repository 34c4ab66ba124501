/**
 * The syntax tree of an NMODL file, as the parser reads it (nothing evaluated yet). Every node that
 * an error may point at carries its source line.
 */

export type NExpr =
  | { readonly type: "num"; readonly value: number; readonly text: string; readonly line: number }
  | { readonly type: "name"; readonly name: string; readonly line: number }
  | { readonly type: "call"; readonly name: string; readonly args: readonly NExpr[]; readonly line: number }
  | { readonly type: "unary"; readonly op: "-" | "!"; readonly arg: NExpr; readonly line: number }
  | {
      readonly type: "bin";
      readonly op: "+" | "-" | "*" | "/" | "^" | "<" | ">" | "<=" | ">=" | "==" | "!=" | "&&" | "||";
      readonly left: NExpr;
      readonly right: NExpr;
      readonly line: number;
    };

export type Stmt =
  | { readonly type: "local"; readonly names: readonly string[]; readonly line: number }
  | { readonly type: "assign"; readonly name: string; readonly value: NExpr; readonly line: number }
  | { readonly type: "derivative"; readonly name: string; readonly value: NExpr; readonly line: number }
  | { readonly type: "call"; readonly name: string; readonly args: readonly NExpr[]; readonly line: number }
  | {
      readonly type: "if";
      readonly cond: NExpr;
      readonly then: readonly Stmt[];
      readonly otherwise: readonly Stmt[] | undefined;
      readonly line: number;
    }
  | { readonly type: "solve"; readonly name: string; readonly method: string | undefined; readonly line: number }
  | { readonly type: "table"; readonly names: readonly string[]; readonly line: number }
  | { readonly type: "block"; readonly body: readonly Stmt[]; readonly line: number };

/** A declared variable: `gnabar = .12 (S/cm2) <0,1e9>`, `v (mV)`, `m FROM 0 TO 1`. */
export interface Declaration {
  readonly name: string;
  readonly value?: { readonly value: number; readonly text: string };
  readonly unit?: string;
  readonly range?: readonly [number, number];
  readonly line: number;
}

export interface UseIon {
  readonly ion: string;
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly valence?: number;
  readonly line: number;
}

export interface Callable {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly unit?: string }[];
  readonly body: readonly Stmt[];
  readonly line: number;
}

/** A parsed density mechanism (the blocks spikelab reads; anything else was refused by the parser). */
export interface NmodlFile {
  readonly file: string;
  readonly title?: string;
  readonly suffix?: { readonly name: string; readonly line: number };
  readonly ions: readonly UseIon[];
  readonly nonspecific: readonly { readonly name: string; readonly line: number }[];
  readonly range: readonly string[];
  readonly global: readonly string[];
  /** Named unit constants of the UNITS block (FARADAY, R …) with their values. */
  readonly unitConstants: ReadonlyMap<string, { readonly value: number; readonly line: number }>;
  readonly parameters: readonly Declaration[];
  readonly constants: readonly Declaration[];
  readonly assigned: readonly Declaration[];
  readonly states: readonly Declaration[];
  readonly initial?: { readonly body: readonly Stmt[]; readonly line: number };
  readonly breakpoint?: { readonly body: readonly Stmt[]; readonly line: number };
  readonly derivatives: ReadonlyMap<string, { readonly body: readonly Stmt[]; readonly line: number }>;
  readonly procedures: ReadonlyMap<string, Callable>;
  readonly functions: ReadonlyMap<string, Callable>;
  /** True when a TABLE statement was read (spikelab computes the rates exactly instead). */
  readonly tables: readonly number[];
}
