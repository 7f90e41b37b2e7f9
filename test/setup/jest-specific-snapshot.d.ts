// jest-specific-snapshot ships no type declarations: its matcher, as it registers itself on import.
declare module "jest-specific-snapshot";

declare namespace jest {
  interface Matchers<R> {
    /** Like `toMatchSnapshot`, into the given `.snap` file (one file per stack). */
    toMatchSpecificSnapshot(snapshotFile: string): R;
  }
}
