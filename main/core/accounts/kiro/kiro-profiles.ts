import { codewhispererOrigin, kiroHeaders } from '../../providers/kiro/kiro-endpoint.ts';
import type { KindContext } from '../account-kind.ts';
import { callVendor } from '../vendor-http.ts';

// CodeWhisperer's ListAvailableProfiles, as AWS's IDE plugins and open-source Kiro clients call it: an AWS JSON 1.0
// operation (POST to the service root, `x-amz-target: AmazonCodeWhispererService.ListAvailableProfiles`, body
// `{maxResults, nextToken?}`) answering `{profiles: [{arn, profileName, …}], nextToken?}`. Some IAM Identity
// Center set-ups refuse requests that do not name one of these profiles (`profileArn`); AWS Builder ID accounts have
// none and need none.

export const listProfilesTarget = 'AmazonCodeWhispererService.ListAvailableProfiles';
/** Pages read at most: an organisation with more profiles than this still gets one of the first ones. */
const maxPages = 5;
const pageSize = 50;

export interface KiroProfile {
  arn: string;
  name?: string;
  /** The AWS region in the ARN (arn:aws:codewhisperer:<region>:<account>:profile/<id>). */
  region?: string;
}

const profileArnPattern = /^arn:aws[a-z-]*:codewhisperer:([a-z0-9-]+):\d*:profile\/[A-Za-z0-9_-]+$/;

/** The profiles of one answer page; entries without a well-formed ARN are skipped. */
export function parseProfiles(body: unknown): { profiles: KiroProfile[]; nextToken?: string } {
  const answer = (body ?? {}) as { profiles?: unknown; nextToken?: unknown };
  const profiles: KiroProfile[] = [];
  for (const entry of Array.isArray(answer.profiles) ? (answer.profiles as Array<Record<string, unknown>>) : []) {
    const arn = typeof entry?.arn === 'string' ? entry.arn : typeof entry?.profileArn === 'string' ? entry.profileArn : undefined;
    const match = arn ? profileArnPattern.exec(arn) : null;
    if (!arn || !match) continue;
    profiles.push({ arn, region: match[1]!, ...(typeof entry.profileName === 'string' && entry.profileName ? { name: entry.profileName } : {}) });
  }
  return { profiles, ...(typeof answer.nextToken === 'string' && answer.nextToken ? { nextToken: answer.nextToken } : {}) };
}

/**
 * The profile requests name: the first in the region Switchyard sends requests to (CodeWhisperer in us-east-1),
 * else the first one listed.
 */
export function chooseProfile(profiles: readonly KiroProfile[]): KiroProfile | undefined {
  const servingRegion = new URL(codewhispererOrigin).hostname.split('.')[1];
  return profiles.find((profile) => profile.region === servingRegion) ?? profiles[0];
}

/**
 * Lists the account's CodeWhisperer profiles (bounded paging). Throws when CodeWhisperer refuses or answers
 * something else than a profile list, so the caller can say so; an empty list is a normal answer.
 */
export async function listKiroProfiles(accessToken: string, context: KindContext): Promise<KiroProfile[]> {
  const profiles: KiroProfile[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const answer = await callVendor(
      context.http,
      {
        url: `${codewhispererOrigin}/`,
        headers: { ...kiroHeaders(), authorization: `Bearer ${accessToken}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': listProfilesTarget },
        json: { maxResults: pageSize, ...(nextToken ? { nextToken } : {}) },
        signal: context.signal,
      },
      new URL(codewhispererOrigin).host,
    );
    if (answer.status !== 200) {
      const type = (answer.body as { __type?: unknown; message?: unknown } | undefined)?.__type;
      throw new Error(`CodeWhisperer did not list the account's profiles (HTTP ${answer.status}${typeof type === 'string' ? ` ${type.split('#').pop()}` : ''})`);
    }
    const parsed = parseProfiles(answer.body);
    profiles.push(...parsed.profiles);
    if (!parsed.nextToken) break;
    nextToken = parsed.nextToken;
  }
  return profiles;
}
