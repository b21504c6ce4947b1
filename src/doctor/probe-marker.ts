/** Starts the line the doctor's probe writes on the app's stderr (shared by both ends). */
export const PROBE_MARKER = '\u0000waymark-doctor-report ';
