// Copy-on-write editing of a wire body, for request shaping (Codec.shaper).
type Json = Record<string, unknown>;

/**
 * Copy-on-write access to a request body: rules read `current`, and only the first `edit()` clones it. So a
 * request that no rule changes keeps its original object (and the pipeline keeps its original bytes).
 */
export class Draft {
  private value: Json;
  private copied = false;

  constructor(original: Json) {
    this.value = original;
  }

  get current(): Json {
    return this.value;
  }

  get changed(): boolean {
    return this.copied;
  }

  edit(): Json {
    if (!this.copied) {
      this.value = structuredClone(this.value);
      this.copied = true;
    }
    return this.value;
  }
}

