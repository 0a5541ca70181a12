import { StewardError } from '../core/index.js';

/** An error the server answers with a given HTTP status and `{"error": message}`. */
export class HttpError extends Error {
  /** HTTP status code. */
  readonly status: number;
  /** Extra response headers (e.g. `Allow` for 405, `WWW-Authenticate` for 401). */
  readonly headers: Record<string, string>;

  /** Creates an error answered with `status`. */
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** StewardError codes that are the client's fault (bad request data), answered with 400. */
const CLIENT_CODES = new Set(['INVALID_PARAMETER', 'DATA_VALIDATION']);

/** A JSON response with the right content type. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/**
 * The one place errors become HTTP responses: HttpError keeps its status; a StewardError of bad input
 * (invalid parameter, data validation) is 400; anything else is 500 without internal details.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) return jsonResponse({ error: error.message }, error.status, error.headers);
  if (error instanceof StewardError && CLIENT_CODES.has(error.code)) {
    return jsonResponse({ error: error.message }, 400);
  }
  return jsonResponse({ error: 'Internal server error.' }, 500);
}
