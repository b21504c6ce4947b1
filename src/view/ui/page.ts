/** A rendered page: what the shell calls while it is shown. */
export interface Page {
  title: string;
  /** New spans arrived (the store's version changed). */
  onStoreChange?: () => void;
  onResize?: () => void;
  dispose?: () => void;
}
