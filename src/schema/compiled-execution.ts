import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  execute,
  getNamedType,
  GraphQLError,
  isInputObjectType,
  Kind,
  printSchema,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLInputObjectType,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

type Gateway = ApolloServerOptionsWithGateway<Record<string, unknown>>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

export interface CompiledExecutionOptions {
  /** A document is compiled on this request of it (the earlier ones run on graphql-js). */
  readonly compileOnRequest?: number;
  /** Compiled documents kept (least recently used goes first). */
  readonly maxCompiled?: number;
  /** Longer documents are never compiled (see `DEFAULT_MAX_DOCUMENT_CHARS`). */
  readonly maxDocumentChars?: number;
  /** The compiled documents' text, summed, kept at most (their code grows with it). */
  readonly maxCompiledChars?: number;
  /** Told what became of each document it tried to compile. */
  readonly onCompile?: (outcome: CompileOutcome) => void;
}

export type CompileOutcome = 'compiled' | 'recursive input' | 'not compilable';

/**
 * Compiled code grows with the document: 50 aliased `sales` fields of 33 fields each (17,500
 * characters, within the cost budget) compiled in 67 ms into 3.4 MB of heap, about 200 bytes per
 * character of the document. So only documents up to 4,096 characters are compiled (an
 * application's queries are far smaller; larger ones run on graphql-js as before), and the cache
 * holds at most 256 Ki characters of them: about 50 MB however documents are invented.
 */
export const DEFAULT_MAX_DOCUMENT_CHARS = 4_096;
export const DEFAULT_MAX_COMPILED_CHARS = 262_144;

/** What a document came to: its compiled form, or graphql-js for good when it cannot be compiled. */
type Compiled =
  | { readonly kind: 'compiled'; readonly query: CompiledQuery<Record<string, unknown>, Record<string, unknown>> }
  | { readonly kind: 'interpreted'; readonly why: Exclude<CompileOutcome, 'compiled'> };

/**
 * Apollo's execution step on graphql-jit for documents a client asks again. graphql-js walks the
 * schema for every field of every row (argument values, resolver, completion), so a typed answer
 * of 2,000 rows × 6 fields spent twice as long executing as the same rows sent as one JSON value;
 * graphql-jit compiles a document once into a function that builds the answer directly.
 *
 * Parsing, validation, the cost plugin and error formatting stay Apollo's: only `execute` moves.
 * A document is compiled on its second request, not its first, because compiling costs a few
 * milliseconds: a query asked once (a new literal in the text) would pay it for nothing. A
 * document graphql-jit cannot compile runs on graphql-js. Both are keyed by the document text and
 * operation name, only short documents are compiled, and the cache is bounded by their total
 * length, so documents a client invents cost a bounded amount of memory.
 *
 * Plugged in as Apollo's gateway, its interface for a custom executor; the schema never changes.
 */
export function compiledExecutionGateway(schema: GraphQLSchema, options: CompiledExecutionOptions = {}): Gateway {
  const executor = compiledExecutor(schema, options);
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async stop() {},
  };
}

export function compiledExecutor(schema: GraphQLSchema, options: CompiledExecutionOptions = {}): GatewayExecutor {
  const compileOn = options.compileOnRequest ?? 2;
  const max = options.maxCompiled ?? 500;
  const maxChars = options.maxDocumentChars ?? DEFAULT_MAX_DOCUMENT_CHARS;
  const compiled = new LRUCache<string, Compiled>({
    max, maxSize: options.maxCompiledChars ?? DEFAULT_MAX_COMPILED_CHARS, sizeCalculation: (_, key) => key.length,
  });
  // Counts of documents asked once; keys are at most `maxChars` long, so this stays small too.
  const asked = new LRUCache<string, number>({ max: max * 4 });
  return async (ctx) => {
    const key = `${ctx.operationName ?? ''}\u0000${ctx.source}`;
    let entry = compiled.get(key);
    if (!entry && key.length <= maxChars) {
      const times = (asked.get(key) ?? 0) + 1;
      if (times >= compileOn) {
        entry = compile(schema, ctx.document, ctx.operationName);
        compiled.set(key, entry);
        options.onCompile?.(entry.kind === 'compiled' ? 'compiled' : entry.why);
        asked.delete(key);
      } else {
        asked.set(key, times);
      }
    }
    const variables = ctx.request.variables ?? {};
    if (entry?.kind === 'compiled') {
      const result = (await entry.query.query(undefined, ctx.context, variables)) as ExecutionResult;
      // No data: the variables were refused before any resolver ran. graphql-js words those
      // errors (with the variable's node) as clients and Apollo's 400 handling expect, so it
      // answers them.
      if (result.data !== undefined) return withGraphqlJsErrors(result);
    }
    return execute({ schema, document: ctx.document, contextValue: ctx.context, variableValues: variables, operationName: ctx.operationName });
  };
}

/**
 * graphql-jit's errors leave `extensions` undefined when the thrown error had none; Apollo (and
 * graphql-js's contract) expect an object, and Apollo turns such an error into an internal one
 * before Farol's formatter sees it. Those are rebuilt as graphql-js errors, location and path kept.
 */
function withGraphqlJsErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((e) => (e.extensions as unknown) === undefined)) return result;
  const errors = result.errors.map((e) => {
    if ((e.extensions as unknown) !== undefined) return e;
    const rebuilt = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined });
    (rebuilt as { locations: GraphQLError['locations'] }).locations = e.locations;
    return rebuilt;
  });
  return { ...result, errors };
}

function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | null): Compiled {
  if (takesRecursiveInput(schema, document)) return { kind: 'interpreted', why: 'recursive input' };
  try {
    const query = compileQuery<Record<string, unknown>, Record<string, unknown>>(schema, document, operationName ?? undefined);
    return isCompiledQuery(query) ? { kind: 'compiled', query } : { kind: 'interpreted', why: 'not compilable' };
  } catch {
    // graphql-jit does not cover every corner graphql-js does; those documents keep graphql-js.
    return { kind: 'interpreted', why: 'not compilable' };
  }
}

/**
 * graphql-jit unrolls the parsing of a variable's input type into code; a recursive input type
 * (a filter holding `and`/`or` lists of itself, as `MetricsQueryInput` does) made it run for
 * 17 s and overflow the stack. Documents with such a variable stay on graphql-js, which coerces
 * variables by walking the value instead.
 */
function takesRecursiveInput(schema: GraphQLSchema, document: DocumentNode): boolean {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, variable.type);
      if (!type) continue;
      const named = getNamedType(type);
      if (isInputObjectType(named) && reachesItself(named)) return true;
    }
  }
  return false;
}

/** True when an input type reachable from `root` (root included) holds itself, directly or not. */
function reachesItself(root: GraphQLInputObjectType): boolean {
  const done = new Set<GraphQLInputObjectType>();
  const onPath = new Set<GraphQLInputObjectType>();
  const visit = (type: GraphQLInputObjectType): boolean => {
    if (onPath.has(type)) return true;
    if (done.has(type)) return false;
    onPath.add(type);
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isInputObjectType(named) && visit(named)) return true;
    }
    onPath.delete(type);
    done.add(type);
    return false;
  };
  return visit(root);
}
