/** An input problem, with where it is, so the message can say what to fix. */
export class GraphFileError extends Error {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly cause_: string,
  ) {
    super(`${file}: ${where}: ${cause_}`);
    this.name = 'GraphFileError';
  }
}
