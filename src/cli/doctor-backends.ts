/** What `evonorm doctor` tries, apart from the checks themselves (doctor-checks.ts loads tfjs; `doctor --help` needs only these). */

/** The backends doctor tries, in the order 'auto' tries them. */
export const DOCTOR_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type DoctorBackend = (typeof DOCTOR_BACKENDS)[number];

/** Largest |difference| to wasm's figures still called agreement (float32 kernels differ in rounding). */
export const AGREEMENT_TOLERANCE = 1e-3;
