/** Graph's error vocabulary: the codes and messages real Graph answers with, in its body shape. */

export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Graph formats innerError.date without milliseconds or zone, e.g. 2024-05-20T07:32:32. */
function graphDate(now = new Date()): string {
  return now.toISOString().slice(0, 19);
}

export function errorBody(code: string, message: string, requestId: string, clientRequestId: string) {
  return {
    error: {
      code,
      message,
      innerError: { date: graphDate(), 'request-id': requestId, 'client-request-id': clientRequestId },
    },
  };
}

const DEFAULTS: Record<number, { code: string; message: string }> = {
  400: { code: 'BadRequest', message: 'Bad request.' },
  401: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' },
  403: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
  404: { code: 'Request_ResourceNotFound', message: 'Resource not found.' },
  409: { code: 'Conflict', message: 'Conflict.' },
  429: { code: 'TooManyRequests', message: 'Please retry again later.' },
  500: { code: 'InternalServerError', message: 'An internal server error occurred.' },
  502: { code: 'BadGateway', message: 'Bad gateway.' },
  503: { code: 'ServiceUnavailable', message: 'Service unavailable.' },
  504: { code: 'GatewayTimeout', message: 'Gateway timeout.' },
};

export function defaultError(status: number): { code: string; message: string } {
  return DEFAULTS[status] ?? { code: 'UnknownError', message: `HTTP ${status}.` };
}

export function resourceNotFound(reference: string): GraphHttpError {
  return new GraphHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${reference}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function badRequest(message: string, code = 'BadRequest'): GraphHttpError {
  return new GraphHttpError(400, code, message);
}

export function unknownProperty(property: string, typeName: string): GraphHttpError {
  return badRequest(`Could not find a property named '${property}' on type '${typeName}'.`);
}

export function insufficientPrivileges(): GraphHttpError {
  return new GraphHttpError(403, 'Authorization_RequestDenied', DEFAULTS[403].message);
}

export function throttled(retryAfterSeconds: number, message = DEFAULTS[429].message): GraphHttpError {
  return new GraphHttpError(429, 'TooManyRequests', message, { 'Retry-After': String(retryAfterSeconds) });
}
