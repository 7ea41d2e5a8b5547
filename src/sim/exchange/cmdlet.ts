/** One simulated cmdlet: the parameters it accepts, the mandatory ones, and what it does. */
import type { TenantState } from '../state';
import { invalidValue, outOfRange } from './exchange-errors';

export type Params = Record<string, unknown>;

export interface Cmdlet {
  parameters: string[];
  required?: string[];
  run(params: Params, state: TenantState): unknown[];
}

/** Parameters every cmdlet takes (PowerShell's common parameters and -Confirm). */
export const COMMON_PARAMETERS = ['Confirm', 'ErrorAction', 'WarningAction', 'Verbose', 'Force'];

export function str(p: Params, name: string): string {
  const value = p[name];
  if (typeof value !== 'string' || value === '') throw invalidValue(name, value, 'System.String');
  return value;
}

/** PowerShell binds "$true"/"true"/true alike to a switch or boolean. */
export function bool(p: Params, name: string): boolean {
  const value = p[name];
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^\$?(true|false)$/i.test(value)) return /true/i.test(value);
  throw invalidValue(name, value, 'System.Boolean');
}

/** An Int32 parameter, "120" or 120 alike, checked against the cmdlet's ValidateRange. */
export function int(p: Params, name: string, min: number, max: number): number {
  const value = p[name];
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number)) throw invalidValue(name, value, 'System.Int32');
  if (number < min || number > max) throw outOfRange(name, number, min, max);
  return number;
}
