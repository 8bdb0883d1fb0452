import type { ApiError } from '../api.js';
import { clientErrorSentences, errorSentences } from '../messages.js';

/** The plain sentence for a refusal or failure; never its code. */
export function sentenceFor(e: ApiError): string {
  return e.code in errorSentences ? errorSentences[e.code as keyof typeof errorSentences] : clientErrorSentences[e.code as keyof typeof clientErrorSentences];
}

/** An error said in words, announced to screen readers, marked with a sign (not colour alone). */
export function ErrorNotice(props: { error: ApiError | undefined }) {
  if (!props.error) return null;
  return (
    <p class="notice error" role="alert">
      <span aria-hidden="true">⚠ </span>
      {sentenceFor(props.error)}
    </p>
  );
}
