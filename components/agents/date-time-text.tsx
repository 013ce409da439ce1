const FORMAT = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A date with its time (UTC, so the server and the browser agree), for versions written minutes apart. */
export function DateTimeText({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{FORMAT.format(date)} UTC</time>;
}
