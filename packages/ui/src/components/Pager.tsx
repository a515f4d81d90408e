/** Previous and Next buttons over keyset pages (see useCursorPages). */
export function Pager(props: {
  page: number;
  nextCursor: string | null | undefined;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}) {
  const { nextCursor } = props;
  return (
    <div className="pager">
      <button type="button" disabled={props.page <= 1} onClick={props.onPrevious}>
        Previous
      </button>
      <span className="muted">Page {props.page}</span>
      <button
        type="button"
        disabled={!nextCursor}
        onClick={() => nextCursor && props.onNext(nextCursor)}
        data-testid="next-page"
      >
        Next
      </button>
    </div>
  );
}
