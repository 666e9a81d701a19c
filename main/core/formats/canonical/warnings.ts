/**
 * What a conversion had to drop or change, in words a user can act on. The caller logs the list once per
 * request; the same message added twice is kept once.
 */
export class Warnings {
  private readonly messages = new Set<string>();

  add(message: string): void {
    this.messages.add(message);
  }

  list(): string[] {
    return [...this.messages];
  }
}
