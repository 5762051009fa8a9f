import type { IdentityKeys } from './identity-keys';
import { childrenConfirm } from './guardian-children';
import type { LinkOutcome, MatchedBy } from './link-person';

/** Why a match waits for an operator instead of being linked. */
export type HoldReason = 'ambiguous' | 'untrusted' | 'children_mismatch';

/** What to record for one matched school record. */
export interface LinkDecision {
  kind: 'staff' | 'guardian';
  schoolId: string;
  sourceId: string;
  matchedBy: MatchedBy;
  /** `linked`: the person is this record; `pending`: an operator decides. */
  status: 'linked' | 'pending';
  reason?: HoldReason;
  /** Guardians: ЕСИА's children confirmed (true) or contradicted (false) the match; absent when not checked. */
  childrenConfirmed?: boolean;
}

/**
 * Turns a linking outcome into what to record. Ambiguous and unconfirmed-account matches are held
 * for an operator. A guardian matched by СНИЛС or name whose ЕСИА children (when read) include
 * none of the record's children is held too: the strongest evidence a parent gives is their
 * children, and a namesake's children do not match. An oid match is never second-guessed.
 */
export function linkDecisions(outcome: LinkOutcome, esiaKids?: readonly IdentityKeys[]): LinkDecision[] {
  if (outcome.status === 'none') return [];
  return outcome.candidates.map((c) => {
    const decision: LinkDecision = { kind: c.kind, schoolId: c.schoolId, sourceId: c.sourceId, matchedBy: outcome.by, status: 'linked' };
    const confirmed = outcome.by === 'oid' ? undefined : childrenConfirm(c, esiaKids);
    if (confirmed !== undefined) decision.childrenConfirmed = confirmed;
    if (outcome.status === 'ambiguous' || outcome.status === 'untrusted') return { ...decision, status: 'pending', reason: outcome.status };
    if (confirmed === false) return { ...decision, status: 'pending', reason: 'children_mismatch' };
    return decision;
  });
}
