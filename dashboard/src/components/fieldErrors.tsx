import { ApiError } from '../api/client';

/** For a form: a function giving the 422's messages for one field, shown next to it (nothing when it has none). */
export function fieldErrors(error: unknown) {
  const details = error instanceof ApiError ? error.details ?? {} : {};
  return (field: string) =>
    details[field] ? (
      <span className="field-error" role="alert">
        {details[field].join('; ')}
      </span>
    ) : null;
}
