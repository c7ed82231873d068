/** The UI slots around a canvas that components and extension widgets render into. */
export type UiSlot = 'toolbar' | 'panel' | 'overlay' | 'status';

/** Every slot, in layout order. */
export const UI_SLOTS: readonly UiSlot[] = ['toolbar', 'panel', 'overlay', 'status'];

/** Size limits for extension widgets per slot, in CSS pixels. */
export const SLOT_CONSTRAINTS: Readonly<Record<UiSlot, { maxWidth: number; maxHeight: number }>> = {
  toolbar: { maxWidth: 240, maxHeight: 40 },
  panel: { maxWidth: 360, maxHeight: 480 },
  overlay: { maxWidth: 280, maxHeight: 120 },
  status: { maxWidth: 480, maxHeight: 28 },
};
