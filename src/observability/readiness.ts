/** How long `/readyz` waits for the warehouse's trivial query before calling it not ready. */
export const DEFAULT_READINESS_TIMEOUT_MS = 2_000;

export interface ReadinessProbes {
  /** Runs a trivial query (`SELECT 1`); rejects when the warehouse is closed or broken. */
  readonly warehouse: () => Promise<unknown>;
  /** Each source's state; a `stopped` one (terminal failure, e.g. revoked credentials) makes the service not ready. */
  readonly sources: () => Promise<readonly { readonly source: string; readonly state: string; readonly message: string | null }[]>;
}

export interface Readiness {
  readonly ready: boolean;
  /** Empty when ready; otherwise one sentence per problem, naming the part. */
  readonly reasons: readonly string[];
}

/**
 * `/readyz`: whether this instance should receive traffic. Liveness (`/healthz`) only says the
 * process answers; readiness also needs the warehouse to answer and no source to be stopped.
 */
export async function checkReadiness(probes: ReadinessProbes, timeoutMs = DEFAULT_READINESS_TIMEOUT_MS): Promise<Readiness> {
  const reasons: string[] = [];
  try {
    await withTimeout(probes.warehouse(), timeoutMs);
  } catch (err) {
    reasons.push(`warehouse: ${err instanceof Error ? err.message : String(err)}`);
    // Source states live in the warehouse: nothing more to learn.
    return { ready: false, reasons };
  }
  try {
    for (const s of await withTimeout(probes.sources(), timeoutMs)) {
      if (s.state === 'stopped') reasons.push(`source ${s.source} is stopped${s.message ? `: ${s.message}` : ''}`);
    }
  } catch (err) {
    reasons.push(`sources: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { ready: reasons.length === 0, reasons };
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
