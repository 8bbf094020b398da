/** The problems of a form's last attempt, listed above the form (nothing when there are none). */

/** Props of Problems. */
export interface ProblemsProps {
  problems: string[];
  /** What did not happen, e.g. "The order was not created". */
  what: string;
}

/** The list of problems, announced to screen readers. */
export function Problems({ problems, what }: ProblemsProps) {
  if (problems.length === 0) return null;
  return (
    <div class="problems" role="alert">
      <p>{what}:</p>
      <ul>
        {problems.map((problem) => <li key={problem}>{problem}</li>)}
      </ul>
    </div>
  );
}
