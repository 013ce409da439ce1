const FORMAT = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/** A date for people (UTC, so the server and the browser agree), machine-readable in `dateTime`. */
export function DateText({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{FORMAT.format(date)}</time>;
}
