/**
 * The company's hardware the person had, for whoever collects it (the checklist's "recover
 * hardware"): the company-owned Intune devices the evidence snapshot recorded before anything
 * changed, with model, serial number and when each last checked in. Personal devices are the
 * person's own: the devices step removed company data from them, there is nothing to collect.
 */
import type { OffboardingCase } from '../cases/case';
import { parseSnapshot } from '../actions/take-evidence';
import { escapeCardText as esc } from './escape-text';
import type { SummaryLine } from './summary-line';
import { formatUtc } from './wording';

interface RecordedDevice {
  deviceName?: string | null;
  operatingSystem?: string | null;
  model?: string | null;
  serialNumber?: string | null;
  managedDeviceOwnerType?: string | null;
  lastSyncDateTime?: string | null;
}

const describe = (d: RecordedDevice): SummaryLine => {
  const kind = [d.model, d.operatingSystem].filter(Boolean).map((s) => esc(s!));
  const what = kind.length === 0 ? '' : kind.length === 1 ? `: ${kind[0]}` : `: ${kind[0]} (${kind[1]})`;
  return {
    text: `'${esc(d.deviceName ?? 'unnamed device')}'${what}, serial ${d.serialNumber ? esc(d.serialNumber) : 'not recorded'}`,
    color: 'default',
    detail: d.lastSyncDateTime ? `Last checked in with Intune ${formatUtc(d.lastSyncDateTime)}.` : '',
  };
};

/** One line per company-owned device to collect; the card says "none" for an empty list. */
export function deviceLines(c: OffboardingCase): SummaryLine[] {
  const section = parseSnapshot(c.evidence)?.sections.managedDevices;
  if (!section) return [{ text: 'Not known: no evidence snapshot was taken. Check Intune for company devices to collect.', color: 'warning', detail: '' }];
  if (!('value' in section) || !Array.isArray(section.value)) {
    return [{ text: 'Not known: the evidence snapshot could not read the Intune devices. Check Intune for company devices to collect.', color: 'warning', detail: '' }];
  }
  return (section.value as RecordedDevice[]).filter((d) => d.managedDeviceOwnerType === 'company').map(describe);
}
