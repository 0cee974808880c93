/**
 * `graphql.*` built-ins: parse queries and schemas into OPA's AST shape, validate schemas and
 * queries. Queries and schemas may be given as strings or as ASTs (objects).
 */
import { type Value, isObject } from "../value.js";
import { goJson } from "../format.js";
import type { Builtin } from "../tagged.js";
import { parseQueryDocument, parseSchemaDocument, type Obj } from "./parser.js";
import { buildSchema, validateQuery } from "./validate.js";

function toObj(v: Value): Obj {
  return JSON.parse(goJson(v)) as Obj;
}

function queryAst(v: Value): Obj {
  if (typeof v === "string") return parseQueryDocument(v);
  if (isObject(v)) return toObj(v);
  throw new TypeError("query must be a string or an object");
}

function schemaAst(v: Value): Obj {
  if (typeof v === "string") return parseSchemaDocument(v);
  if (isObject(v)) return toObj(v);
  throw new TypeError("schema must be a string or an object");
}

/** Parses and validates; returns both ASTs or throws the first problem. */
function parseAndValidate(q: Value, s: Value): [Obj, Obj] {
  const schemaDoc = schemaAst(s);
  const queryDoc = queryAst(q);
  validateQuery(buildSchema(schemaDoc), queryDoc);
  return [queryDoc, schemaDoc];
}

const asValue = (o: Obj): Value => o as unknown as Value;

export const graphqlBuiltins: Record<string, Builtin> = {
  "graphql.parse_query": (q) => (typeof q === "string" ? asValue(parseQueryDocument(q)) : undefined),
  "graphql.parse_schema": (s) => (typeof s === "string" ? asValue(parseSchemaDocument(s)) : undefined),
  "graphql.schema_is_valid": (s) => {
    try {
      buildSchema(schemaAst(s));
      return true;
    } catch {
      return false;
    }
  },
  "graphql.is_valid": (q, s) => {
    try {
      parseAndValidate(q, s);
      return true;
    } catch {
      return false;
    }
  },
  "graphql.parse": (q, s) => {
    const [qd, sd] = parseAndValidate(q, s);
    return [asValue(qd), asValue(sd)];
  },
  "graphql.parse_and_verify": (q, s) => {
    try {
      const [qd, sd] = parseAndValidate(q, s);
      return [true, asValue(qd), asValue(sd)];
    } catch {
      return [false, {}, {}];
    }
  },
};
