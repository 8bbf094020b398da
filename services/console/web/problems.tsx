/** The problems of a refused form, or the broker's error, above the form. */

/** Props of Problems. */
export interface ProblemsProps {
  title: string;
  problems: readonly string[];
}

/** An alert listing `problems` (nothing when there are none). */
export function Problems({ title, problems }: ProblemsProps) {
  if (problems.length === 0) return null;
  return (
    <div class="problems" role="alert">
      <p>{title}</p>
      <ul>
        {problems.map((p) => <li key={p}>{p}</li>)}
      </ul>
    </div>
  );
}
