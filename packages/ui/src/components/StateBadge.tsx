/** A run's state as a coloured badge; the colour follows the state type, the text is the state name. */
export function StateBadge(props: { type: string | null | undefined; name: string | null | undefined }) {
  const type = props.type ?? "UNKNOWN";
  return (
    <span className={`state-badge state-${type.toLowerCase()}`} data-testid="run-state" title={type}>
      {props.name ?? type}
    </span>
  );
}
