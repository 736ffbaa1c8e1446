/** The bronze entity of a club registry change (or snapshot row), keyed by the member's id. */
export const CLUB_MEMBER_ENTITY = 'club_member';

/** Statuses the registry may hold; anything else is quarantined with the value it had. */
export const CLUB_STATUSES = ['active', 'suspended', 'canceled'] as const;
