package sluice.nodes.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A CSV file whose content breaks the table rules: no header, a malformed quote, a row whose
 * width differs from the header's, text that is not UTF-8. The message names the file and, where
 * known, the line, e.g. {@code data/x.csv line 17: 6 columns, header has 7}.
 */
public final class CsvFormatException extends IOException {

  private final transient Path file;
  private final long line;

  /**
   * @param line the 1-based physical line where the offending row starts, or 0 when unknown
   */
  public CsvFormatException(Path file, long line, String problem, Throwable cause) {
    super(file + (line > 0 ? " line " + line : "") + ": " + problem, cause);
    this.file = file;
    this.line = line;
  }

  public CsvFormatException(Path file, long line, String problem) {
    this(file, line, problem, null);
  }

  public Path file() {
    return file;
  }

  /** The 1-based line where the problem is, or 0 when it concerns the whole file. */
  public long line() {
    return line;
  }
}
