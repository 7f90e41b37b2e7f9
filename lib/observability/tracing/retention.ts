/**
 * How long traces are kept, in one place for the bucket that holds them and the Tempo that writes them: Tempo's
 * compactor deletes a block once it is older than the retention; the bucket's lifecycle expires every object a day
 * later, which removes what the compactor never will (a partial block left by a crash is invisible to Tempo), as
 * Tempo's maintainers recommend, without ever expiring a block Tempo still lists.
 * @see https://github.com/grafana/tempo/issues/3529
 */

/** Days between Tempo's retention and the bucket's expiry. */
export const TRACES_BUCKET_EXPIRY_MARGIN_DAYS = 1;

/** Days after which the traces bucket expires an object. */
export function tracesBucketExpirationDays(retentionDays: number): number {
  return retentionDays + TRACES_BUCKET_EXPIRY_MARGIN_DAYS;
}

/** Tempo's `compactor.compaction.block_retention` for a retention in days (a Go duration in hours). */
export function tempoBlockRetention(retentionDays: number): string {
  return `${retentionDays * 24}h`;
}

/**
 * Days a trace block deleted by Tempo's compactor stays as a noncurrent version in the versioned bucket: one, so a
 * mistaken deletion can be undone the same day, while deleted traces do not outlive their retention by weeks.
 */
export const TRACES_NONCURRENT_VERSION_DAYS = 1;
