/**
 * The NHS.UK file upload field for a case list or results file (CSV or Excel), with its hint,
 * error message and, after a form came back with errors, a request to choose the file again.
 */
import { useLocation } from "@remix-run/react";

export function FileUpload({
  label,
  labelSize = "s",
  maxSize,
  error,
  chosenBefore = null,
}: {
  label: string;
  labelSize?: "s" | "m";
  /** "20 MB": the size limit, in words. */
  maxSize: string;
  error?: string;
  /** The name of the file sent with a form that came back with errors. */
  chosenBefore?: string | null;
}) {
  // A browser cannot keep a chosen file once the page has been answered: a new input each time,
  // so the page never claims a file is still chosen when it is not.
  const { key } = useLocation();
  return (
    <div className={`nhsuk-form-group nhsuk-file-upload${error ? " nhsuk-form-group--error" : ""}`}>
      <label className={`nhsuk-label nhsuk-label--${labelSize}`} htmlFor="file">
        {label}
      </label>
      <div className="nhsuk-hint" id="file-hint">
        {chosenBefore && (
          <>
            <strong>Choose the file again ({chosenBefore})</strong>: browsers do not keep a chosen file once the form has been sent.{" "}
          </>
        )}
        A CSV or Excel (.xlsx) file, smaller than {maxSize}
      </div>
      {error && (
        <span className="nhsuk-error-message" id="file-error">
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      )}
      <input
        key={key}
        className={`nhsuk-file-upload__input${error ? " nhsuk-file-upload__input--error" : ""}`}
        id="file"
        name="file"
        type="file"
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        aria-describedby={error ? "file-hint file-error" : "file-hint"}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}
