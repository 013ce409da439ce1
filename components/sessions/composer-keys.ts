/**
 * What a key press in the message box does, as a pure function of the press: chat-style, Enter
 * sends and Shift+Enter breaks the line. Ctrl+Enter (⌘+Enter) sends too, always. Nothing is sent
 * while an input method is composing (the Enter that picks a Japanese or Chinese candidate is not
 * a send), nor by Enter alone where the keyboard is a touch screen's, which has no Shift to break
 * a line with (`enterSends: false`): there, the send button sends.
 */
export type TComposerKeyPress = {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** An input method is composing text (`KeyboardEvent.isComposing`, or Safari's keyCode 229). */
  isComposing: boolean;
};

/** Whether the press sends the message (the caller then prevents the line break it would type). */
export function sendsMessage(press: TComposerKeyPress, options: { enterSends: boolean }): boolean {
  if (press.key !== "Enter" || press.isComposing) return false;
  if (press.ctrlKey || press.metaKey) return true;
  if (press.shiftKey || press.altKey) return false;
  return options.enterSends;
}
