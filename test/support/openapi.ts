/**
 * Reading the API's own OpenAPI document in tests: fetch it over HTTP, find an operation, and hold
 * a real response against the schema the document gives for its status (JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1, checked by ajv with its formats).
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonResponse } from './http.js';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object>; securitySchemes?: Record<string, object> };
}

export interface Operation {
  operationId: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, any> }> }>;
}

export async function fetchDocument(baseUrl: string): Promise<OpenApiDocument> {
  const response = await fetch(`${baseUrl}/openapi.json`);
  if (response.status !== 200) throw new Error(`GET /openapi.json: ${response.status} ${await response.text()}`);
  return (await response.json()) as OpenApiDocument;
}

/** `/packages/:id` as the document writes it: `/packages/{id}`. */
export const openApiPath = (honoPath: string) => honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Every operation of the document as `METHOD /path`. */
export function operations(
  doc: OpenApiDocument,
): { key: string; path: string; method: string; operation: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      path,
      method,
      operation,
    })),
  );
}

/** The documented codes of each error status of an operation. */
export function documentedCodes(operation: Operation): Map<number, string[]> {
  const codes = new Map<number, string[]>();
  for (const [status, response] of Object.entries(operation.responses)) {
    const schema = response.content?.['application/json']?.schema;
    const listed = schema?.properties?.error?.properties?.code?.enum as string[] | undefined;
    if (Number(status) >= 400 && listed) codes.set(Number(status), listed);
  }
  return codes;
}

const refPrefix = '#/components/schemas/';

/** The document's component references, rewritten to point into a schema's own `$defs`. */
function localRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(localRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' && inner.startsWith(refPrefix)
        ? [key, `#/$defs/${inner.slice(refPrefix.length)}`]
        : [key, localRefs(inner)],
    ),
  );
}

export interface ResponseCheck {
  /** Why the response does not match its documented schema; empty when it does. */
  problems: string[];
}

/**
 * Checks a real response against the document: its status is documented for `METHOD path`, its
 * content type is the documented media type, and its body is valid against that schema.
 */
export function responseChecker(doc: OpenApiDocument) {
  // strict: an unknown keyword in the document (an OpenAPI 3.0 leftover such as `nullable`) fails.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const defs = localRefs(doc.components?.schemas ?? {}) as Record<string, object>;
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

  return function check(method: string, path: string, response: JsonResponse): ResponseCheck {
    const operation = doc.paths[path]?.[method.toLowerCase()];
    if (!operation) return { problems: [`${method} ${path} is not in the document`] };
    const documented = operation.responses[String(response.status)];
    if (!documented) {
      return {
        problems: [
          `${method} ${path} answered ${response.status}, not documented (${Object.keys(operation.responses)})`,
        ],
      };
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const content = documented.content?.[mediaType];
    if (!content)
      return {
        problems: [`${response.status} as ${mediaType}: the document gives ${Object.keys(documented.content ?? {})}`],
      };
    const key = `${method} ${path} ${response.status} ${mediaType}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ ...(localRefs(content.schema) as object), $defs: defs });
      compiled.set(key, validate);
    }
    if (validate(response.body)) return { problems: [] };
    return {
      problems: (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message?.slice(0, 120)}`),
    };
  };
}
