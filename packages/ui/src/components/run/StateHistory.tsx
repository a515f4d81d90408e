import type { State } from "@sluice/contracts";
import { formatTime } from "../../lib/format.js";
import { StateBadge } from "../StateBadge.js";
import { ResultRefView } from "./ResultRefView.js";

/** A run's states, oldest first, with each state's message and result reference. */
export function StateHistory({ states }: { states: readonly State[] }) {
  const withResults = states.some((s) => s.result);
  return (
    <table data-testid="state-history">
      <tbody>
        {states.map((s) => (
          <tr key={s.id}>
            <td>{formatTime(s.timestamp)}</td>
            <td>
              <StateBadge type={s.type} name={s.name} />
            </td>
            <td>{s.message ?? ""}</td>
            {withResults && (
              <td>
                <ResultRefView result={s.result} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
