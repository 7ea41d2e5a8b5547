import { serviceOfPath, type Service } from '../m365/graph-service';
import { DEFAULT_WRITE_PACING, WritePacer, type WritePacerOptions } from './write-pacer';

export type CallKind = 'read' | 'write';

const REPORTS_BURST = 5;

/** Where each pacer starts: Microsoft's documented sustained rate for the service (m365-api.md). */
const STARTING_PER_SECOND: Record<Service, Record<CallKind, number>> = {
  // 3,000 writes per 150 s; reads cost 1-3 of 3,500+ resource units per 10 s.
  directory: { read: 150, write: 20 },
  // 5 requests per 10 s.
  reports: { read: 0.5, write: 0.5 },
  // 10,000 per 10 min per mailbox (and 4 at once).
  outlook: { read: 16, write: 16 },
  // Writes 200 per 20 s, any 2,000 per 20 s.
  intune: { read: 100, write: 10 },
  // 1,250 resource units a minute; a permission call costs 5.
  sharePoint: { read: 10, write: 4 },
  unmetered: { read: 50, write: 50 },
};

/**
 * One adaptive pacer per Microsoft 365 service and kind of call, shared by every case an engine
 * instance runs: Intune throttling slows device wipes, not group removals, and the reports limit
 * (5 calls per 10 s) slows only the sign-in and audit log reads. Each starts at the documented
 * rate and adapts to the 429s it meets (src/engine/write-pacer.ts).
 */
export class ServicePacers {
  private readonly pacers = new Map<string, WritePacer>();

  constructor(
    private readonly options: Partial<WritePacerOptions> = {},
    private readonly clock?: ConstructorParameters<typeof WritePacer>[1],
    /** Starting rates that differ from the documented ones (a larger tenant, a test). */
    private readonly starting: Partial<Record<Service, Partial<Record<CallKind, number>>>> = {},
  ) {}

  /** Sends `call` (a Graph call to `path`) at its service's pace. */
  send<R>(path: string, kind: CallKind, call: () => Promise<R>): Promise<R> {
    return this.pacerFor(serviceOfPath(path), kind).send(call);
  }

  /** The current rate of one service's pacer, calls per second. */
  perSecond(service: Service, kind: CallKind): number {
    return this.pacerFor(service, kind).perSecond;
  }

  private pacerFor(service: Service, kind: CallKind): WritePacer {
    const key = `${service}:${kind}`;
    let pacer = this.pacers.get(key);
    if (!pacer) {
      const initialPerSecond = this.starting[service]?.[kind] ?? STARTING_PER_SECOND[service][kind];
      pacer = new WritePacer({
        ...DEFAULT_WRITE_PACING,
        initialPerSecond,
        // The reports allow 5 calls at once per 10 s window: use them after a quiet spell.
        ...(service === 'reports' ? { burst: REPORTS_BURST } : {}),
        minPerSecond: Math.min(DEFAULT_WRITE_PACING.minPerSecond, initialPerSecond),
        ...this.options,
      }, this.clock);
      this.pacers.set(key, pacer);
    }
    return pacer;
  }
}
