/**
 * The lines of a text, found on the first request: the quick fixes read a few lines around a
 * finding, and splitting a 5,000-line file per keystroke would cost more than they do.
 */
export class TextLines {
  private starts?: number[];

  constructor(readonly text: string) {}

  /** Line `i` (zero-based) without its newline, or undefined past the end. */
  line(i: number): string | undefined {
    if (!this.starts) {
      const s = [0];
      for (let at = this.text.indexOf('\n'); at !== -1; at = this.text.indexOf('\n', at + 1)) s.push(at + 1);
      this.starts = s;
    }
    if (i < 0 || i >= this.starts.length) return undefined;
    const end = i + 1 < this.starts.length ? this.starts[i + 1] - 1 : this.text.length;
    return this.text.slice(this.starts[i], end);
  }
}
