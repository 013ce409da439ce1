const FORMAT = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/** A date for people (UTC, so the server and the browser agree), machine-readable in `dateTime`. */
export function DateText({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{FORMAT.format(date)}</time>;
}

const DATE_TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A moment for people, to the minute (UTC, said so), machine-readable in `dateTime`: when a run happened or is due. */
export function DateTimeText({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{DATE_TIME.format(date)} UTC</time>;
}
