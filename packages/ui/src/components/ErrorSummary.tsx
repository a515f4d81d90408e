/** How many fields need attention, each named, above the submit button. */
export function ErrorSummary({ errors }: { errors: ReadonlyMap<string, string> }) {
  if (errors.size === 0) return null;
  return (
    <div className="error error-summary" role="alert" data-testid="error-summary">
      {errors.size === 1 ? "One field needs" : `${errors.size} fields need`} attention:
      <ul>
        {[...errors].map(([path, message]) => (
          <li key={path}>
            {path === "" ? "" : `${path.replace(/^@/, "")}: `}
            {message}
          </li>
        ))}
      </ul>
    </div>
  );
}
