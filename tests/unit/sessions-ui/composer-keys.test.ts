import { describe, expect, it } from "vitest";
import { sendsMessage, type TComposerKeyPress } from "@/components/sessions/composer-keys";

const press = (key: string, extra: Partial<TComposerKeyPress> = {}): TComposerKeyPress => ({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, isComposing: false, ...extra });
const keyboard = { enterSends: true };
const touch = { enterSends: false };

describe("the message box's keys", () => {
  it("sends on Enter", () => {
    expect(sendsMessage(press("Enter"), keyboard)).toBe(true);
  });

  it("breaks the line on Shift+Enter (and Alt+Enter)", () => {
    expect(sendsMessage(press("Enter", { shiftKey: true }), keyboard)).toBe(false);
    expect(sendsMessage(press("Enter", { altKey: true }), keyboard)).toBe(false);
  });

  it("sends on Ctrl+Enter and ⌘+Enter, as before", () => {
    expect(sendsMessage(press("Enter", { ctrlKey: true }), keyboard)).toBe(true);
    expect(sendsMessage(press("Enter", { metaKey: true }), keyboard)).toBe(true);
    expect(sendsMessage(press("Enter", { ctrlKey: true }), touch)).toBe(true);
  });

  it("does not send on the Enter that picks an input method's candidate", () => {
    expect(sendsMessage(press("Enter", { isComposing: true }), keyboard)).toBe(false);
    expect(sendsMessage(press("Enter", { isComposing: true, ctrlKey: true }), keyboard)).toBe(false);
  });

  it("leaves Enter to break the line on a touch screen's keyboard", () => {
    expect(sendsMessage(press("Enter"), touch)).toBe(false);
  });

  it("ignores every other key", () => {
    for (const key of ["a", " ", "Tab", "NumpadEnter", "Escape"]) expect(sendsMessage(press(key), keyboard)).toBe(false);
  });
});
