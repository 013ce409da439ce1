/**
 * How a diff line looks, wherever one is shown (an agent's version diff, an `edit` tool call):
 * removed lines red with "−", added lines green with "+" (the marker, not only the colour, says
 * which), and what a screen reader hears before the text.
 */
export const DIFF_LINE_TONES = {
  same: "",
  added: "bg-emerald-50 text-emerald-950 dark:bg-emerald-950/60 dark:text-emerald-100",
  removed: "bg-red-50 text-red-950 dark:bg-red-950/60 dark:text-red-100",
} as const;

export const DIFF_LINE_MARKERS = { same: " ", added: "+", removed: "−" } as const;

export const DIFF_LINE_SPOKEN = { same: "", added: "Added: ", removed: "Removed: " } as const;
