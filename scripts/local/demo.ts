/** The demo county (社旗县, Henan): its division code is the default for local tokens. */
export const DEMO_COUNTY = '411327';
