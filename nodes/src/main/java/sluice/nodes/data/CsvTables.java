package sluice.nodes.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Tables in RFC 4180 CSV files: UTF-8, the first row is the header naming the columns, every
 * other row has exactly as many values as the header. Values are text; an empty value means
 * absent. Reading and writing go through jackson-dataformat-csv.
 *
 * <p>Writing quotes a value only when it must (a comma, quote or line break in it, or a leading
 * {@code #}); spaces are part of a value and kept as they are. Rows end with CRLF; the writer adds
 * no byte order mark and replaces the file atomically where the file system allows. Reading
 * accepts LF or CRLF line ends and a leading UTF-8 byte order mark. A value may span lines inside
 * quotes; line numbers in messages are the physical line where the row starts. In a table of two
 * or more columns, blank lines are skipped; in a one-column table a blank line is a row holding
 * one empty value.
 *
 * <p>Problems with content are reported as {@link CsvFormatException}, naming the file and line.
 */
public final class CsvTables {

  /** A whole table in memory: the header and the rows, each as wide as the header. */
  public record CsvTable(List<String> header, List<List<String>> rows) {
    public CsvTable {
      header = List.copyOf(header);
      rows = rows.stream().map(List::copyOf).toList();
    }
  }

  /** Receives the rows of a file in order, as {@link #forEachRow} reads them. */
  @FunctionalInterface
  public interface RowHandler {
    /**
     * @param header the column names, the same list for every row
     * @param row the values, as many as the header, empty strings for absent values
     * @param line the 1-based physical line where the row starts (the header is line 1)
     * @throws IOException to stop reading; it propagates out of {@link #forEachRow}
     */
    void row(List<String> header, List<String> row, long line) throws IOException;
  }

  private static final String LINE_END = "\r\n";
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private CsvTables() {}

  /**
   * Writes a table, streaming {@code rows} (they are not all held in memory). A null value is
   * written as an empty, absent one.
   *
   * @throws IllegalArgumentException when the header is empty, has an empty or repeated name, or
   *     a row is not as wide as the header; the file is then left as it was
   * @throws IOException when the file cannot be written
   */
  public static void write(Path file, List<String> header, Iterable<List<String>> rows)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(rows, "rows");
    String headerProblem = headerProblem(header);
    if (headerProblem != null) {
      throw new IllegalArgumentException("cannot write " + file + ": " + headerProblem);
    }
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    boolean done = false;
    try {
      try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
          CsvGenerator csv = new CsvMapper().getFactory().createGenerator(out)) {
        csv.setSchema(CsvSchema.emptySchema().withLineSeparator(LINE_END));
        csv.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING); // else long values are quoted
        writeRow(csv, header);
        long index = 0;
        for (List<String> row : rows) {
          index++;
          if (row == null || row.size() != header.size()) {
            throw new IllegalArgumentException(
                "cannot write " + file + ": row " + index + " has "
                    + (row == null ? "no values (null)" : row.size() + " values")
                    + ", header has " + header.size());
          }
          writeRow(csv, row);
        }
      }
      move(temp, file);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Reads a whole table into memory.
   *
   * @throws CsvFormatException naming the file and line of bad content
   * @throws IOException when the file cannot be read
   */
  public static CsvTable read(Path file) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = forEachRow(file, (h, row, line) -> rows.add(row));
    return new CsvTable(header, rows);
  }

  /**
   * Streams a table: checks the header, then hands each row to {@code handler} in file order,
   * holding only one row at a time.
   *
   * @return the header
   * @throws CsvFormatException naming the file and line of bad content; rows before it have been
   *     handed over already
   * @throws IOException when the file cannot be read, or as the handler throws
   */
  public static List<String> forEachRow(Path file, RowHandler handler) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(handler, "handler");
    long line = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      skipByteOrderMark(in);
      try (CsvParser csv = new CsvMapper().getFactory().createParser(in)) {
        csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        csv.setSchema(CsvSchema.emptySchema());
        if (csv.nextToken() != JsonToken.START_ARRAY) {
          throw new CsvFormatException(file, 0, "empty file, expected a header row");
        }
        List<String> header = null;
        while (csv.nextToken() == JsonToken.START_ARRAY) {
          line = csv.currentLocation().getLineNr();
          List<String> row = rowValues(csv);
          if (header == null) {
            String problem = headerProblem(row);
            if (problem != null) {
              throw new CsvFormatException(file, line, problem);
            }
            header = List.copyOf(row);
          } else if (header.size() > 1 && row.size() == 1 && row.get(0).isEmpty()) {
            continue; // a blank line
          } else if (row.size() != header.size()) {
            throw new CsvFormatException(
                file, line, columns(row.size()) + ", header has " + header.size());
          } else {
            handler.row(header, row, line);
          }
        }
        if (header == null) {
          throw new CsvFormatException(file, 0, "empty file, expected a header row");
        }
        return header;
      }
    } catch (CharacterCodingException e) {
      throw new CsvFormatException(
          file, 0, "not UTF-8 text (a bad byte follows line " + Math.max(line, 1) + ")", e);
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null ? line : e.getLocation().getLineNr();
      throw new CsvFormatException(file, at, "malformed CSV: " + e.getOriginalMessage(), e);
    }
  }

  /** The values of the row whose START_ARRAY the parser is on, consuming its END_ARRAY. */
  private static List<String> rowValues(CsvParser csv) throws IOException {
    List<String> row = new ArrayList<>();
    while (csv.nextToken() == JsonToken.VALUE_STRING) {
      row.add(csv.getText());
    }
    return row;
  }

  private static void writeRow(CsvGenerator csv, List<String> values) throws IOException {
    csv.writeStartArray();
    for (String value : values) {
      csv.writeString(value == null ? "" : value);
    }
    csv.writeEndArray();
  }

  /** Null when the header is usable, else what is wrong with it. */
  private static String headerProblem(List<String> header) {
    if (header == null || header.isEmpty() || (header.size() == 1 && header.get(0).isEmpty())) {
      return "the header row names no columns";
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i);
      if (name == null || name.isEmpty()) {
        return "header column " + (i + 1) + " has no name";
      }
      if (!seen.add(name)) {
        return "header names column \"" + name + "\" twice";
      }
    }
    return null;
  }

  private static String columns(int n) {
    return n == 1 ? "1 column" : n + " columns";
  }

  private static void skipByteOrderMark(BufferedReader in) throws IOException {
    in.mark(1);
    if (in.read() != BYTE_ORDER_MARK) {
      in.reset();
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
