import { DashboardQueries } from './repositories/dashboard-queries';
import type { Kysely } from 'kysely';
import { openDatabase, type OpenDatabaseOptions } from './open-store';
import type { Database } from './schema';
import { AccessRepository } from './repositories/access-repository';
import { AlertsRepository } from './repositories/alerts-repository';
import { AuditRepository } from './repositories/audit-repository';
import { DeliveriesRepository } from './repositories/deliveries-repository';
import { IdMapRepository } from './repositories/id-map-repository';
import { LinksRepository } from './repositories/links-repository';
import { PeopleLinksRepository } from './repositories/people-links-repository';
import { PeriodLocksRepository } from './repositories/period-locks-repository';
import { PersonDirectoryRepository } from './repositories/person-directory-repository';
import { PersonKeyHasher } from './repositories/person-key-hasher';
import { RunChangesRepository } from './repositories/run-changes-repository';
import { RunsRepository } from './repositories/runs-repository';
import { SecretBox } from './repositories/secret-box';
import { SecretsRepository } from './repositories/secrets-repository';
import { SessionsRepository } from './repositories/sessions-repository';
import { CursorsRepository, FindingsRepository, ManualActionsRepository } from './repositories/small-repositories';
import { PersonalDataBox } from './repositories/personal-data-box';
import { SchoolRostersRepository } from './repositories/school-rosters-repository';
import { IdentityMerges } from './repositories/identity-merges';
import { ExportsRepository } from './repositories/exports-repository';

/** ejsync's database: runs, the delivery log, id map, audit, secrets, sessions. */
export class Store {
  readonly runs: RunsRepository;
  readonly changes: RunChangesRepository;
  readonly deliveries: DeliveriesRepository;
  readonly idMap: IdMapRepository;
  readonly cursors: CursorsRepository;
  readonly findings: FindingsRepository;
  readonly manualActions: ManualActionsRepository;
  readonly audit: AuditRepository;
  readonly secrets: SecretsRepository;
  readonly links: LinksRepository;
  readonly sessions: SessionsRepository;
  readonly access: AccessRepository;
  readonly alerts: AlertsRepository;
  /** Read models of the dashboard (latest runs per link, runs per day, failures by code). */
  readonly dashboard: DashboardQueries;
  /** Staff and guardians of each school as keyed hashes, for identity linking at sign-in. */
  readonly personDirectory: PersonDirectoryRepository;
  /** Links of ЕСИА accounts to staff and guardian records: linked, pending an operator, rejected. */
  readonly peopleLinks: PeopleLinksRepository;
  /** Reporting periods closed in ejsync by a person (besides the export's flag). */
  readonly periodLocks: PeriodLocksRepository;
  /** Names of each link's school (sealed), for the dashboard to resolve ids to people. */
  readonly rosters: SchoolRostersRepository;
  /** Seals personal data kept in the store with a key derived from the installation key. */
  readonly personalData: PersonalDataBox;
  /** People linked by hand to their platform records (audited). */
  readonly identityMerges: IdentityMerges;
  /** Schools' exports kept in the store (uploaded), and each link's upload key. */
  readonly exports: ExportsRepository;
  private box: SecretBox | null = null;

  constructor(
    readonly db: Kysely<Database>,
    readonly kind: 'postgres' | 'pglite',
    private readonly closeDb: () => Promise<void>,
    secretBox?: SecretBox,
  ) {
    this.box = secretBox ?? null;
    this.runs = new RunsRepository(db);
    this.deliveries = new DeliveriesRepository(db);
    this.idMap = new IdMapRepository(db);
    this.cursors = new CursorsRepository(db);
    this.findings = new FindingsRepository(db);
    this.audit = new AuditRepository(db);
    const box = () => (this.box ??= SecretBox.fromEnvironment());
    this.personalData = new PersonalDataBox(box);
    this.changes = new RunChangesRepository(db, this.personalData);
    this.manualActions = new ManualActionsRepository(db, this.personalData);
    this.rosters = new SchoolRostersRepository(db, this.personalData);
    this.identityMerges = new IdentityMerges(db);
    this.exports = new ExportsRepository(db);
    this.secrets = new SecretsRepository(db, box);
    this.links = new LinksRepository(db);
    this.sessions = new SessionsRepository(db);
    this.access = new AccessRepository(db);
    this.dashboard = new DashboardQueries(db);
    this.alerts = new AlertsRepository(db);
    this.personDirectory = new PersonDirectoryRepository(db, new PersonKeyHasher(db, box));
    this.peopleLinks = new PeopleLinksRepository(db);
    this.periodLocks = new PeriodLocksRepository(db);
  }

  async close(): Promise<void> {
    await this.closeDb();
  }
}

export interface OpenStoreOptions extends OpenDatabaseOptions {
  /** Key for secrets; absent → `EJSYNC_SECRET_KEY` when a secret is first used. */
  secretBox?: SecretBox;
}

/** Opens the store (PostgreSQL or PGlite) with migrations applied. */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const opened = await openDatabase(options);
  return new Store(opened.db, opened.kind, opened.close, options.secretBox);
}
