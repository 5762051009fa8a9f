/**
 * A refusal the dashboard answers itself (bad input, an action not possible now), with the
 * HTTP status, a stable code for programs and a Russian message for people.
 */
export class DashboardError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'DashboardError';
  }
}

export function isDashboardError(value: unknown): value is DashboardError {
  return value instanceof DashboardError;
}
