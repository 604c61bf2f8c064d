/** What `evonorm doctor` tries, apart from the checks themselves (doctor-checks.ts loads tfjs; `doctor --help` needs only these). */

import { BACKEND_NAMES, type BackendName } from '../tensor/backends.js';

/** The backends doctor tries: every backend (src/tensor/backends.ts), in the order 'auto' tries them. */
export const DOCTOR_BACKENDS: readonly BackendName[] = BACKEND_NAMES;
export type DoctorBackend = BackendName;

/** Largest |difference| to wasm's figures still called agreement (float32 kernels differ in rounding). */
export const AGREEMENT_TOLERANCE = 1e-3;
