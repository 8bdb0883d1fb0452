import { ageOn } from '#shared/time.js';
import type { Elder } from '../registry/domain/elder.js';
import type { Eligibility } from './domain/subsidy.js';

/** The elder as the subsidy rules see them on `date`. */
export const eligibilityOn = (e: Elder, date: string): Eligibility => ({
  age: ageOn(e.birthDate, date),
  categories: e.categories,
  ...(e.capabilityLevel !== undefined && { capabilityLevel: e.capabilityLevel }),
});
