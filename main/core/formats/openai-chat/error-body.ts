// OpenAI error shape, shared by Chat Completions and Responses:
// {"error":{"message":"…","type":"…","param":null,"code":"…"}} (docs/wire-formats.md, OpenAI Chat Completions).

const typeByStatus: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
};

export function openaiErrorType(status: number): string {
  return typeByStatus[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
}

export function openaiErrorBody(status: number, message: string, code: string | null = null, type = openaiErrorType(status)): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

export function isOpenaiErrorBody(parsed: unknown): boolean {
  if (typeof parsed !== 'object' || parsed === null) return false;
  const error = (parsed as { error?: { message?: unknown } }).error;
  return typeof error === 'object' && error !== null && typeof error.message === 'string';
}
