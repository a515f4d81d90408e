import { SECRET_MASK } from "@sluice/contracts";

/**
 * Secret values this process has loaded from blocks. Log lines are scrubbed of them before they
 * reach stderr or the API, so `logger.info(url)` cannot leak a webhook token into the run's logs.
 */
const secretValues = new Set<string>();

/** Shortest value worth scrubbing: shorter strings would mask ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** Remembers a secret value so later log lines are scrubbed of it. */
export function registerSecretValue(value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) secretValues.add(value);
}

/** `text` with every registered secret value replaced by the mask. */
export function redactSecrets(text: string): string {
  if (secretValues.size === 0) return text;
  let result = text;
  for (const value of secretValues) {
    if (result.includes(value)) result = result.split(value).join(SECRET_MASK);
  }
  return result;
}

/** Forgets every registered value (tests). */
export function clearSecretValues(): void {
  secretValues.clear();
}
