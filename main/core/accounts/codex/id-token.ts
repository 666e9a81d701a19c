/** The claims Switchyard reads from OpenAI's tokens (JWTs); the signature is the vendor's business, not checked. */
export interface CodexClaims {
  email?: string;
  accountId?: string;
  userId?: string;
  plan?: string;
  /** Epoch ms (`exp`). */
  expiresAt?: number;
}

function payload(jwt: string): Record<string, unknown> | undefined {
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Account id, plan and e-mail from an id_token (or access token): the ChatGPT facts sit in the claim object
 * "https://api.openai.com/auth" (chatgpt_account_id, chatgpt_plan_type, chatgpt_user_id), as the Codex CLI reads
 * them (openai/codex codex-rs/login/src/token_data.rs).
 */
export function readCodexClaims(jwt: string | undefined): CodexClaims {
  const claims = jwt ? payload(jwt) : undefined;
  if (!claims) return {};
  const auth = claims['https://api.openai.com/auth'] as Record<string, unknown> | undefined;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const result: CodexClaims = {};
  const email = text(claims.email);
  if (email) result.email = email;
  const accountId = text(auth?.chatgpt_account_id);
  if (accountId) result.accountId = accountId;
  const userId = text(auth?.chatgpt_user_id) ?? text(auth?.user_id);
  if (userId) result.userId = userId;
  const plan = text(auth?.chatgpt_plan_type);
  if (plan) result.plan = plan;
  if (typeof claims.exp === 'number') result.expiresAt = claims.exp * 1000;
  return result;
}
