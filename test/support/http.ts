/** Thin JSON-over-HTTP helpers for tests: every call is a real request to a real server. */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Leave non-JSON bodies as text so a test can show what came back.
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export function client(baseUrl: string, defaultHeaders: Record<string, string> = {}) {
  const call =
    (method: string) =>
    <T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) =>
      request<T>(baseUrl, method, path, { body, headers: { ...defaultHeaders, ...headers } });
  return { get: call('GET'), post: call('POST'), put: call('PUT'), patch: call('PATCH'), delete: call('DELETE') };
}

export type Client = ReturnType<typeof client>;
