/**
 * GOV.UK / NHS.UK form pattern, bound to react-hook-form:
 * label → hint → error message → control; an error summary that takes focus; answers kept after
 * an error (also without JavaScript, because every control renders its value on the server).
 */
import { Form, useLocation, useRouteLoaderData, useSubmit } from "@remix-run/react";
import { createContext, useContext, useEffect, useRef, type ReactNode } from "react";
import type { FieldValues, UseFormRegister, UseFormReturn } from "react-hook-form";
import { fieldId, flattenRhfErrors, type FieldErrors } from "~/lib/form-data";

type FormCtx = {
  register?: UseFormRegister<FieldValues>;
  errors: FieldErrors;
  values: Record<string, unknown>;
};

const FormContext = createContext<FormCtx>({ errors: {}, values: {} });

function getPath(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

function useField(name: string) {
  const ctx = useContext(FormContext);
  const error = ctx.errors[name];
  const value = getPath(ctx.values, name);
  const reg = ctx.register ? ctx.register(name) : { name };
  return { error, value, reg, id: fieldId(name) };
}

export function CsrfInput() {
  const root = useRouteLoaderData("root") as { csrf?: string } | undefined;
  return <input type="hidden" name="csrf" value={root?.csrf ?? ""} />;
}

export function ErrorSummary({ errors }: { errors: FieldErrors }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  const signature = entries.map(([k, v]) => `${k}:${v}`).join("|");
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);
  if (entries.length === 0) return null;
  return (
    <div className="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabIndex={-1} ref={ref}>
      <h2 className="nhsuk-error-summary__title" id="error-summary-title">
        There is a problem
      </h2>
      <div className="nhsuk-error-summary__body">
        <ul className="nhsuk-list nhsuk-error-summary__list">
          {entries.map(([name, message]) => (
            <li key={name}>
              <a href={`#${errorTarget(name)}`}>{message}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** Date inputs link to their day box; everything else to the control with the field's id. */
function errorTarget(name: string) {
  return typeof document !== "undefined" && document.getElementById(`${fieldId(name)}-day`) ? `${fieldId(name)}-day` : fieldId(name);
}

type GovFormProps = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema's input/output types
  form: UseFormReturn<any, any, any>;
  /** Errors from the server action (shown when the browser found none). */
  serverErrors?: FieldErrors;
  /** The values to show: the server's copy of what was posted, or the record being edited. */
  values?: Record<string, unknown>;
  action?: string;
  id?: string;
  children: ReactNode;
  className?: string;
};

/**
 * A posted form that validates in the browser with the shared zod schema, then submits
 * through Remix; without JavaScript it posts natively and the action checks the same schema.
 */
export function GovForm({ form, serverErrors, values, action, id, children, className }: GovFormProps) {
  const submit = useSubmit();
  const clientErrors = flattenRhfErrors(form.formState.errors);
  const errors = Object.keys(clientErrors).length > 0 ? clientErrors : serverErrors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  useEffect(() => {
    const prefix = "Error: ";
    if (hasErrors && !document.title.startsWith(prefix)) document.title = prefix + document.title;
    if (!hasErrors && document.title.startsWith(prefix)) document.title = document.title.slice(prefix.length);
  }, [hasErrors]);
  return (
    <FormContext.Provider value={{ register: form.register as unknown as UseFormRegister<FieldValues>, errors, values: values ?? {} }}>
      <ErrorSummary errors={errors} />
      <Form
        method="post"
        action={action}
        id={id}
        className={className}
        noValidate
        onSubmit={form.handleSubmit((_data, event) => {
          const native = event?.nativeEvent as SubmitEvent | undefined;
          const target = (native?.submitter as HTMLButtonElement | null) ?? (event?.target as HTMLFormElement);
          submit(target, { method: "post", action });
        })}
      >
        <CsrfInput />
        {children}
      </Form>
    </FormContext.Provider>
  );
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <div className="nhsuk-hint" id={`${id}-hint`}>
      {children}
    </div>
  );
}

function ErrorMessage({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <span className="nhsuk-error-message" id={`${id}-error`}>
      <span className="nhsuk-u-visually-hidden">Error:</span> {error}
    </span>
  );
}

function describedBy(id: string, hint: unknown, error: unknown) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

type LabelSize = "s" | "m" | "l" | "xl";

function Label({ id, size, pageHeading, children }: { id: string; size?: LabelSize; pageHeading?: boolean; children: ReactNode }) {
  const label = (
    <label className={`nhsuk-label${size ? ` nhsuk-label--${size}` : ""}`} htmlFor={id}>
      {children}
    </label>
  );
  return pageHeading ? <h1 className="nhsuk-label-wrapper">{label}</h1> : label;
}

export function TextInput({
  name,
  label,
  hint,
  type = "text",
  autoComplete,
  width,
  labelSize,
  pageHeading,
  spellCheck,
  inputMode,
}: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
  labelSize?: LabelSize;
  pageHeading?: boolean;
  spellCheck?: boolean;
  inputMode?: "numeric" | "text";
}) {
  const { error, value, reg, id } = useField(name);
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <Label id={id} size={labelSize} pageHeading={pageHeading}>
        {label}
      </Label>
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id} error={error} />
      <input
        className={`nhsuk-input${width ? ` nhsuk-input--width-${width}` : ""}${error ? " nhsuk-input--error" : ""}`}
        id={id}
        type={type}
        autoComplete={autoComplete}
        spellCheck={spellCheck}
        inputMode={inputMode}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        defaultValue={type === "password" ? undefined : typeof value === "string" ? value : undefined}
        {...reg}
      />
    </div>
  );
}

export function Textarea({ name, label, hint, rows = 3, labelSize }: { name: string; label: ReactNode; hint?: ReactNode; rows?: number; labelSize?: LabelSize }) {
  const { error, value, reg, id } = useField(name);
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <Label id={id} size={labelSize}>
        {label}
      </Label>
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id} error={error} />
      <textarea
        className={`nhsuk-textarea${error ? " nhsuk-textarea--error" : ""}`}
        id={id}
        rows={rows}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        defaultValue={typeof value === "string" ? value : undefined}
        {...reg}
      />
    </div>
  );
}

export type Option = { value: string; label: string; hint?: string };

export function Select({ name, label, hint, options, placeholder }: { name: string; label: ReactNode; hint?: ReactNode; options: Option[]; placeholder?: string }) {
  const { error, value, reg, id } = useField(name);
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <Label id={id}>{label}</Label>
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id} error={error} />
      <select
        className={`nhsuk-select${error ? " nhsuk-select--error" : ""}`}
        id={id}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        defaultValue={typeof value === "string" || typeof value === "number" ? String(value) : ""}
        {...reg}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Fieldset({
  id,
  legend,
  legendSize = "m",
  pageHeading,
  hint,
  error,
  children,
}: {
  id: string;
  legend: ReactNode;
  legendSize?: LabelSize;
  pageHeading?: boolean;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend className={`nhsuk-fieldset__legend nhsuk-fieldset__legend--${legendSize}`}>
          {pageHeading ? <h1 className="nhsuk-fieldset__heading">{legend}</h1> : legend}
        </legend>
        <Hint id={id}>{hint}</Hint>
        <ErrorMessage id={id} error={error} />
        {children}
      </fieldset>
    </div>
  );
}

export function Radios({
  name,
  legend,
  hint,
  options,
  inline,
  legendSize,
  pageHeading,
}: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  options: Option[];
  inline?: boolean;
  legendSize?: LabelSize;
  pageHeading?: boolean;
}) {
  const { error, value, reg, id } = useField(name);
  return (
    <Fieldset id={id} legend={legend} legendSize={legendSize} pageHeading={pageHeading} hint={hint} error={error}>
      <div className={`nhsuk-radios${inline ? " nhsuk-radios--inline" : ""}`}>
        {options.map((o, i) => {
          const optionId = i === 0 ? id : `${id}-${i + 1}`;
          return (
            <div className="nhsuk-radios__item" key={o.value}>
              <input
                className="nhsuk-radios__input"
                id={optionId}
                type="radio"
                value={o.value}
                defaultChecked={value === o.value}
                aria-describedby={o.hint ? `${optionId}-item-hint` : undefined}
                {...reg}
              />
              <label className="nhsuk-label nhsuk-radios__label" htmlFor={optionId}>
                {o.label}
              </label>
              {o.hint && (
                <div className="nhsuk-hint nhsuk-radios__hint" id={`${optionId}-item-hint`}>
                  {o.hint}
                </div>
              )}
            </div>
          );
        })}
      </div>
    </Fieldset>
  );
}

export function Checkboxes({ name, legend, hint, options, legendSize }: { name: string; legend: ReactNode; hint?: ReactNode; options: Option[]; legendSize?: LabelSize }) {
  const { error, value, reg, id } = useField(name);
  const checked = Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : [];
  return (
    <Fieldset id={id} legend={legend} legendSize={legendSize} hint={hint} error={error}>
      <div className="nhsuk-checkboxes">
        {options.map((o, i) => {
          const optionId = i === 0 ? id : `${id}-${i + 1}`;
          return (
            <div className="nhsuk-checkboxes__item" key={o.value}>
              <input className="nhsuk-checkboxes__input" id={optionId} type="checkbox" value={o.value} defaultChecked={checked.includes(o.value)} {...reg} />
              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={optionId}>
                {o.label}
              </label>
            </div>
          );
        })}
      </div>
    </Fieldset>
  );
}

/** GOV.UK memorable-date pattern: day, month and year boxes; errors belong to the whole date. */
export function DateInput({ name, legend, hint, legendSize = "s" }: { name: string; legend: ReactNode; hint?: ReactNode; legendSize?: LabelSize }) {
  const ctx = useContext(FormContext);
  const id = fieldId(name);
  const error = ctx.errors[name];
  const value = (getPath(ctx.values, name) ?? {}) as Record<string, string | undefined>;
  const part = (p: "day" | "month" | "year", label: string, width: 2 | 4) => {
    const reg = ctx.register ? ctx.register(`${name}.${p}`) : { name: `${name}.${p}` };
    return (
      <div className="nhsuk-date-input__item">
        <div className="nhsuk-form-group">
          <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`${id}-${p}`}>
            {label}
          </label>
          <input
            className={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${width}${error ? " nhsuk-input--error" : ""}`}
            id={`${id}-${p}`}
            type="text"
            inputMode="numeric"
            defaultValue={value[p] ?? ""}
            {...reg}
          />
        </div>
      </div>
    );
  };
  return (
    <Fieldset id={id} legend={legend} legendSize={legendSize} hint={hint} error={error}>
      <div className="nhsuk-date-input" id={id}>
        {part("day", "Day", 2)}
        {part("month", "Month", 2)}
        {part("year", "Year", 4)}
      </div>
    </Fieldset>
  );
}

export function Button({ children, name, value, secondary, warning }: { children: ReactNode; name?: string; value?: string; secondary?: boolean; warning?: boolean }) {
  return (
    <button
      className={`nhsuk-button${secondary ? " nhsuk-button--secondary" : ""}${warning ? " nhsuk-button--warning" : ""}`}
      data-module="nhsuk-button"
      type="submit"
      name={name}
      value={value}
    >
      {children}
    </button>
  );
}

/**
 * After each submission: empties the forms that did not fail (a new password is not left in its box,
 * an added name is cleared for the next one) and clears browser-side errors left on them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema's form
export function useResetAfterSubmit(forms: Record<string, UseFormReturn<any, any, any>>, failed: unknown) {
  const { key } = useLocation();
  useEffect(() => {
    for (const [intent, form] of Object.entries(forms)) if (intent !== failed) form.reset();
    // Only when a navigation (a submission or a redirect after one) has finished.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
