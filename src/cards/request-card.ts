import type { DepartureType, DeviceDecision, ExternalSharingDecision, LicenceDecision, Target } from '../cases/case';
import { escapeCardText } from './escape-text';
import { renderCard, type AdaptiveCardJson } from './render';

/** What the request form shows in its inputs; used to re-show a rejected submission as typed. */
export interface RequestCardValues {
  departureType: DepartureType;
  cutoffNow: boolean;
  /** YYYY-MM-DD */
  cutoffDate: string;
  /** HH:mm */
  cutoffTime: string;
  timeZone: string;
  ticket: string;
  notes: string;
  convertToShared: boolean;
  /** Empty for the manager, "none" for nobody. */
  delegate: string;
  /** YYYY-MM-DD, or empty. */
  delegateUntil: string;
  autoReply: boolean;
  autoReplyInternal: string;
  autoReplyExternal: string;
  litigationHold: boolean;
  /** 'by-departure-type' resolves when the form is read: keep for voluntary, cancel otherwise. */
  meetings: 'by-departure-type' | 'cancel' | 'keep';
  licences: LicenceDecision;
  devices: DeviceDecision;
  /** Empty for the manager, "none" for nobody. */
  filesTo: string;
  /** Empty for the manager. */
  groupsTo: string;
  /** 'by-departure-type' resolves when the form is read: report for voluntary, remove otherwise. */
  externalSharing: 'by-departure-type' | ExternalSharingDecision;
}

export interface RequestCardOptions {
  defaultTimeZone: string;
  /** Why the last submission was refused; shown above the form. */
  errorMessage?: string;
  /** What approvers will be told about the person (an earlier offboarding, a seat among the approvers), said before submitting. */
  warnings?: string[];
  values?: Partial<RequestCardValues>;
}

const COMMON_TIME_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/** The departure request form for one resolved target. */
export function requestCard(target: Target, opts: RequestCardOptions): AdaptiveCardJson {
  const values: RequestCardValues = {
    departureType: 'voluntary',
    cutoffNow: true,
    cutoffDate: '',
    cutoffTime: '',
    timeZone: opts.defaultTimeZone,
    ticket: '',
    notes: '',
    convertToShared: true,
    delegate: '',
    delegateUntil: '',
    autoReply: true,
    autoReplyInternal: '',
    autoReplyExternal: '',
    litigationHold: false,
    meetings: 'by-departure-type',
    licences: 'remove-after-conversion',
    devices: 'retire',
    filesTo: '',
    groupsTo: '',
    externalSharing: 'by-departure-type',
    ...definedOnly(opts.values ?? {}),
  };
  // The policy default and a previously chosen zone must be selectable even if not in the short list.
  const zones = [...new Set([opts.defaultTimeZone, values.timeZone, ...COMMON_TIME_ZONES])];
  return renderCard('request', {
    targetId: target.id,
    targetName: target.displayName,
    targetUpn: target.userPrincipalName,
    managerName: target.manager?.displayName ?? '',
    errorMessage: opts.errorMessage ?? '',
    // Display names in them come from the directory: shown as written, not as markdown.
    warnings: (opts.warnings ?? []).map((text) => ({ text: escapeCardText(text) })),
    delegatePlaceholder: target.manager ? `The manager, ${target.manager.displayName}` : 'No manager: give an email address',
    values: {
      ...values,
      cutoffNow: String(values.cutoffNow),
      convertToShared: String(values.convertToShared),
      autoReply: String(values.autoReply),
      litigationHold: String(values.litigationHold),
    },
    timeZones: zones.map((zone) => ({ title: zone.replace(/_/g, ' '), value: zone })),
  });
}

// An explicit `undefined` must not wipe a default: the template would then show `${...}` literally.
function definedOnly<T extends object>(partial: T): Partial<T> {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<T>;
}
