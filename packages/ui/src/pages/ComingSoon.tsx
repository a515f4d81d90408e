/** A page of the navigation that is not built yet. */
export function ComingSoon({ title }: { title: string }) {
  return (
    <div>
      <h1>{title}</h1>
      <p className="muted">
        Coming soon. Meanwhile the CLI (`sluice --help`) and the API reference cover it.
      </p>
    </div>
  );
}
