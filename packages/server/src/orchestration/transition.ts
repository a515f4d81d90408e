import type { FlowRunPolicy, State } from "@sluice/contracts";

/** Everything a rule may look at: the run's current state, the proposal, run facts and the time. */
export interface TransitionContext {
  readonly current: State | null;
  readonly proposed: State;
  readonly run: { readonly runCount: number; readonly policy: FlowRunPolicy };
  readonly now: Date;
}

/** A rule's verdict. ACCEPT may replace the proposed state; the others stop the transition. */
export type Decision =
  | { readonly kind: "accept"; readonly state?: State; readonly reason?: string }
  | { readonly kind: "reject"; readonly reason: string }
  | { readonly kind: "wait"; readonly reason: string; readonly retryAfterSeconds: number }
  | { readonly kind: "abort"; readonly reason: string };

/** An orchestration rule: a pure function from a proposed transition to a decision. */
export type OrchestrationRule = (context: TransitionContext) => Decision;

/** Accept the proposal unchanged. */
export const accept = (): Decision => ({ kind: "accept" });
/** Accept, replacing the proposal with `state`. */
export const acceptInstead = (state: State, reason: string): Decision => ({ kind: "accept", state, reason });
/** Refuse the proposal; the run keeps its current state (409 invalid_state_transition). */
export const reject = (reason: string): Decision => ({ kind: "reject", reason });
/** Ask the caller to propose again after `retryAfterSeconds`. */
export const wait = (reason: string, retryAfterSeconds: number): Decision => ({
  kind: "wait",
  reason,
  retryAfterSeconds,
});
/** Refuse because the caller lost a race; it should stop (409 state_transition_aborted). */
export const abort = (reason: string): Decision => ({ kind: "abort", reason });

/** The outcome of running a policy: the final decision and the state to store when accepted. */
export type PolicyOutcome =
  | { readonly kind: "accept"; readonly state: State; readonly reason: string | null }
  | Exclude<Decision, { kind: "accept" }>;

/**
 * Runs rules in order. Each ACCEPT may replace the proposal, which the later rules then see;
 * the first non-ACCEPT decision ends the run.
 */
export function applyRules(rules: readonly OrchestrationRule[], context: TransitionContext): PolicyOutcome {
  let proposed = context.proposed;
  let reason: string | null = null;
  for (const rule of rules) {
    const decision = rule({ ...context, proposed });
    if (decision.kind !== "accept") return decision;
    if (decision.state) proposed = decision.state;
    if (decision.reason) reason = decision.reason;
  }
  return { kind: "accept", state: proposed, reason };
}
