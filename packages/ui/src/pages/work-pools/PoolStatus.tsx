/** A pool's, queue's or worker's status word, coloured (READY/ONLINE green, NOT_READY/OFFLINE red, PAUSED amber). */
export function PoolStatus({ status }: { status: string }) {
  const tone =
    status === "READY" || status === "ONLINE" ? "ready" : status === "PAUSED" ? "paused" : "not_ready";
  return (
    <span className={`pool-status pool-${tone}`} data-testid="status">
      {status}
    </span>
  );
}
