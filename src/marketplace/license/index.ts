/** License tokens: issue, verify offline, the clock guard, errors (docs/LICENSING.md). */
export { verifyLicense, type VerifyLicenseOptions } from './verify.js';
export { issueLicense, type IssueLicenseInput } from './issue.js';
export { checkClaims, normalizeOrigin, type LicenseClaims } from './claims.js';
export { MemoryLicenseClock, localStorageLicenseClock, CLOCK_TOLERANCE_S, type LicenseClock } from './clock.js';
export { LicenseError, LICENSE_ERROR_CODES, type LicenseErrorCode } from './errors.js';
export { localStorageLicenseWallet, memoryLicenseWallet, describeToken, type LicenseWallet } from './wallet.js';
