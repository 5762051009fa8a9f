import { isEjsyncError } from '../../model';
import { localDate, type WirePerson } from '../../mappers/dnevnik';
import { int64Array, type DnevnikClient } from './dnevnik-client';
import { listOf, userSchema } from './wire-schemas';

/** User ids per `POST users/many`. */
const USERS_PER_BATCH = 50;

/** What could be read of the persons' birthdays. */
export interface BirthdaysRead {
  /** Person id → `YYYY-MM-DD`. */
  byPerson: Map<string, string>;
  /** Persons whose birthday could not be read (no login account, none on it, or refused). */
  unknown: string[];
  /** Why `users/many` could not be read at all (a catalogue code), if so. */
  refused?: string;
}

/**
 * Birthdays of persons. The published Person models carry none; the User (login account) does
 * (`birthday`, read by `POST users/many` with the persons' `userId`s). A person's own `birthday`
 * is taken where an installation sends one. A person without an account has no readable birthday;
 * a refusal of `users/many` (not allowed, not served) leaves every account's birthday unknown —
 * transient failures are thrown.
 */
export async function readBirthdays(client: DnevnikClient, persons: readonly WirePerson[]): Promise<BirthdaysRead> {
  const byPerson = new Map<string, string>();
  const personOfUser = new Map<string, string>();
  for (const p of persons) {
    if (p.birthday) byPerson.set(p.id_str, localDate(p.birthday));
    else if (p.userId_str) personOfUser.set(p.userId_str, p.id_str);
  }
  const userIds = [...personOfUser.keys()];
  let refused: string | undefined;
  for (let i = 0; i < userIds.length && refused === undefined; i += USERS_PER_BATCH) {
    try {
      for (const u of await client.readByPost('/users/many', int64Array(userIds.slice(i, i + USERS_PER_BATCH)), listOf(userSchema))) {
        const person = u.personId_str ?? personOfUser.get(u.id_str);
        if (person && u.birthday && personOfUser.get(u.id_str) === person) byPerson.set(person, localDate(u.birthday));
      }
    } catch (error) {
      if (!isEjsyncError(error) || error.retryable) throw error;
      refused = error.code;
    }
  }
  const unknown = persons.filter((p) => !byPerson.has(p.id_str)).map((p) => p.id_str);
  return { byPerson, unknown, ...(refused ? { refused } : {}) };
}
