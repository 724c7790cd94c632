/**
 * Validation of session data with any Standard Schema (zod 3.24+/4, valibot, arktype, …): the
 * `~standard` interface, declared here so that no schema library is a dependency.
 */

export interface StandardIssue {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
}

export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> }

/** The Standard Schema v1 interface (https://standardschema.dev). */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>
    readonly types?: { readonly input: Input; readonly output: Output } | undefined
  }
}

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const props = (value as { '~standard'?: { version?: unknown; validate?: unknown } } | null)?.['~standard']
  return (
    typeof props === 'object' && props !== null && props.version === 1 && typeof props.validate === 'function'
  )
}

function describeIssue(issue: StandardIssue): string {
  const path = (issue.path ?? [])
    .map((part) => String(typeof part === 'object' && part !== null ? part.key : part))
    .join('.')
  return path ? `${path}: ${issue.message}` : issue.message
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: string }

/** Runs the schema; problems are listed as `path: message; …` (at most 5). */
export async function validate<T>(
  schema: StandardSchemaV1<unknown, T>,
  value: unknown,
): Promise<Validated<T>> {
  const result = await schema['~standard'].validate(value)
  if (result.issues) {
    const shown = result.issues.slice(0, 5).map(describeIssue)
    if (result.issues.length > 5) shown.push(`and ${result.issues.length - 5} more`)
    return { ok: false, problems: shown.join('; ') }
  }
  return { ok: true, value: result.value }
}
