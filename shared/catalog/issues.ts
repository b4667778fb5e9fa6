/** The fields of a zod issue that messages need (kept structural so no zod import is needed). */
interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `modules[2].filters[0]: Too small: expected …` — where each problem is, in the JSON's own terms. */
export function formatIssues(issues: readonly Issue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path
      .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
      .join('');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
}
