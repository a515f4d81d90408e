import { deleteExpiredLeases } from "../concurrency/deployment-leases.js";
import type { BackgroundService } from "./service-runner.js";

const BATCH = 1000;

/**
 * Lease expiry: deletes deployment concurrency leases that were not renewed in time (their run's
 * process stopped beating) and announces each freed deployment, so a waiting worker claims its next
 * run at once. Expired leases already stop counting when they expire; this pass tidies and wakes.
 */
export const leaseExpiryService: BackgroundService = {
  name: "lease-expiry",
  intervalMs: 5_000,
  async run(deps) {
    const deployments = await deleteExpiredLeases(deps.db.db, deps.clock.now(), BATCH);
    for (const deploymentId of deployments) deps.events.publish({ kind: "slot-released", deploymentId });
    return deployments.length > 0 ? { released: deployments.length } : undefined;
  },
};
