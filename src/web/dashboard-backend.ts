import type { Queue } from 'bullmq';
import type { LinkConfig } from '../config/link-config';
import type { DnevnikPlatformConfig } from '../config/platform-config';
import { dnevnikDeliveryLanes } from '../queue/dnevnik-connector-factory';
import type { SedizhPlatformConfig } from '../config/sedizh-config';
import { sedizhDeliveryLanes } from '../queue/sedizh-connector-factory';
import { onerosterDeliveryLanes } from '../queue/oneroster-connector-factory';
import { schedulerId } from '../queue/link-schedules';
import { deliveryLaneOf, deliveryQueueName } from '../queue/queue-names';
import { loadLink } from '../queue/run-pipeline/pipeline-context';
import type { RunActionContext } from '../queue/run-pipeline/run-actions';
import type { Actor, RunRecord, RunTrigger } from '../store';
import { DashboardQueries } from '../store/repositories/dashboard-queries';
import type { Principal } from './auth/roles';
import { PeopleDirectory, PeopleView } from './people/people-directory';
import { personalDataView } from './privacy/personal-data';

/** What the dashboard needs of the pipeline runtime (`openPipelineRuntime` gives all of it). */
export interface DashboardRuntime {
  ctx: RunActionContext;
  platformConfig: DnevnikPlatformConfig;
  /** СЭДиЖ lanes are shown on the queue board when given. @defaultValue none */
  sedizhConfig?: SedizhPlatformConfig;
  startRun(link: LinkConfig, trigger: RunTrigger, triggeredBy?: string): Promise<RunRecord>;
  syncSchedules(): Promise<unknown>;
  /** Workers connected to the planning queue and to a lane's delivery queue. */
  workerCounts?(lane: string): Promise<{ plan: number; delivery: number }>;
}

/** Statuses of a run still in the machine: a second run of the link does not start beside one. */
export const ACTIVE_RUN_STATUSES = ['planned', 'approved', 'applying'] as const;

/** The pipeline as the dashboard uses it: store, queues, run actions, schedules. */
export class DashboardBackend {
  readonly queries: DashboardQueries;
  /** The schools' rosters (names resolved for those allowed to read them). */
  readonly people: PeopleDirectory;

  constructor(readonly runtime: DashboardRuntime) {
    this.queries = runtime.ctx.store.dashboard;
    this.people = new PeopleDirectory(runtime.ctx.store);
  }

  /** The people of a link's school as this person may read them (names for the school's own staff). */
  async peopleView(p: Principal, linkId: string, schoolId: string): Promise<PeopleView> {
    return new PeopleView(await this.people.roster(linkId), personalDataView(p, schoolId).showNames);
  }

  /** `МБОУ СОШ № 1 (school-1)` → the school's name, else its id. */
  async schoolNames(): Promise<Map<string, string>> {
    return this.people.schoolNames().catch(() => new Map<string, string>());
  }

  get ctx(): RunActionContext {
    return this.runtime.ctx;
  }

  get store() {
    return this.runtime.ctx.store;
  }

  /** Starts a run of a registered link now, as a person (the pipeline's own start). */
  async runNow(linkId: string, actor: Actor): Promise<RunRecord> {
    return this.runtime.startRun(await loadLink(this.ctx, linkId), 'person', actor.actorOid);
  }

  /** Is a run of the link still planned, approved or applying? */
  async hasActiveRun(linkId: string): Promise<boolean> {
    const [latest] = await this.store.runs.list({ linkId, limit: 1 });
    return !!latest && (ACTIVE_RUN_STATUSES as readonly string[]).includes(latest.status);
  }

  /** Next scheduled (nightly) run per link id, from the planning queue's job schedulers. */
  async nextRuns(): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    const schedulers = await this.ctx.planQueue.getJobSchedulers(0, -1);
    const byId = new Map(schedulers.map((s) => [s.key ?? s.id ?? '', s]));
    for (const link of await this.store.links.list()) {
      const s = byId.get(schedulerId(link.id));
      if (s?.next) out.set(link.id, new Date(s.next));
    }
    return out;
  }

  /** Makes the nightly schedulers follow a pause or resume. */
  async syncSchedules(): Promise<void> {
    await this.runtime.syncSchedules();
  }

  /** The planning queue and every delivery lane's queue (for the read-only queue board). */
  boardQueues(): Queue[] {
    const lanes = [...dnevnikDeliveryLanes(this.runtime.platformConfig), ...(this.runtime.sedizhConfig ? sedizhDeliveryLanes(this.runtime.sedizhConfig) : []), ...onerosterDeliveryLanes()];
    return [this.ctx.planQueue, ...lanes.map((lane) => this.ctx.deliveryQueue(lane.name))];
  }

  /** Name of the queue a link's deliveries go through. */
  deliveryQueueOf(link: LinkConfig): string {
    return deliveryQueueName(deliveryLaneOf(link.target));
  }

  /**
   * Why the queue gave up on delivery jobs (the platform's own words, as the worker recorded
   * them), by job id; jobs already cleaned from the queue are missing from the answer.
   */
  async jobFailures(queueName: string, jobIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const queue = this.boardQueues().find((q) => q.name === queueName);
    if (!queue) return out;
    const jobs = await Promise.all(jobIds.map((id) => queue.getJob(id).catch(() => undefined)));
    jobs.forEach((job, i) => {
      if (job?.failedReason) out.set(jobIds[i], job.failedReason.slice(0, 400));
    });
    return out;
  }

  /** Workers connected now (any process); null when the runtime cannot tell. */
  async workers(link?: LinkConfig): Promise<{ plan: number; delivery: number } | null> {
    if (!this.runtime.workerCounts) return null;
    const lane = link ? deliveryLaneOf(link.target) : deliveryLaneOf({ platform: 'dnevnik', installation: Object.keys(this.runtime.platformConfig.installations)[0] });
    try {
      return await this.runtime.workerCounts(lane);
    } catch {
      return null;
    }
  }
}
