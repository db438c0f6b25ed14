package sluice.nodes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTablesTest {

  @TempDir Path dir;

  @Test
  void roundTripKeepsCommasQuotesLineBreaksSpacesAndChineseText() throws IOException {
    Path file = dir.resolve("t.csv");
    List<String> header = List.of("id_number", "name", "address", "note");
    List<List<String>> rows =
        List.of(
            List.of("11010519491231002X", "王芳", "北京市朝阳区建国路88号", "plain"),
            List.of("1", "a,b", "say \"hi\"", "line one\nline two"),
            List.of("2", "", " leading and trailing ", "crlf\r\ninside"),
            List.of("3", "#not a comment", "\"", "中文，逗号；“引号”"));
    CsvTables.write(file, header, rows);

    CsvTables.CsvTable table = CsvTables.read(file);
    assertEquals(header, table.header());
    assertEquals(rows, table.rows());
    assertFalse(Files.exists(dir.resolve("t.csv.tmp")));
  }

  @Test
  void writesUtf8WithCrlfAndQuotesOnlyWhenNeeded() throws IOException {
    Path file = dir.resolve("t.csv");
    String longValue = "广东省深圳市福田区迎宾大道359号28栋2603室 and more than 24 characters";
    CsvTables.write(
        file, List.of("a", "monthly_contribution_base"), List.of(List.of("张三", "x,y"), List.of(" s", longValue)));
    byte[] expected =
        ("a,monthly_contribution_base\r\n张三,\"x,y\"\r\n s," + longValue + "\r\n")
            .getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(expected, Files.readAllBytes(file));
    assertEquals(List.of(" s", longValue), CsvTables.read(file).rows().get(1));
  }

  @Test
  void nullIsWrittenAsAbsent() throws IOException {
    Path file = dir.resolve("t.csv");
    List<String> row = new ArrayList<>();
    row.add("1");
    row.add(null);
    CsvTables.write(file, List.of("a", "b"), List.of(row));
    assertEquals(List.of(List.of("1", "")), CsvTables.read(file).rows());
  }

  @Test
  void shortRowNamesFileAndLine() throws IOException {
    Path file = dir.resolve("x.csv");
    Files.writeString(
        file, "a,b,c\n1,2,3\n\"multi\nline\",5,6\n7,8\n", StandardCharsets.UTF_8);
    CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvTables.read(file));
    assertEquals(file + " line 5: 2 columns, header has 3", e.getMessage());
    assertEquals(5, e.line());
    assertEquals(file, e.file());
  }

  @Test
  void longRowIsAnError() throws IOException {
    Path file = dir.resolve("x.csv");
    Files.writeString(file, "a,b\n1,2\n1,2,3\n", StandardCharsets.UTF_8);
    CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvTables.read(file));
    assertEquals(file + " line 3: 3 columns, header has 2", e.getMessage());
  }

  @Test
  void streamingReportsStartLinesAndSkipsBlankLinesAndByteOrderMark() throws IOException {
    Path file = dir.resolve("x.csv");
    Files.writeString(
        file, "\uFEFFk,v\r\n1,\"a\r\nb\"\r\n\r\n2,c\r\n\r\n", StandardCharsets.UTF_8);
    List<String> seen = new ArrayList<>();
    List<String> header =
        CsvTables.forEachRow(file, (h, row, line) -> seen.add(line + ":" + String.join("|", row)));
    assertEquals(List.of("k", "v"), header);
    assertEquals(List.of("2:1|a\r\nb", "5:2|c"), seen);
  }

  @Test
  void oneColumnTableKeepsEmptyValues() throws IOException {
    Path file = dir.resolve("x.csv");
    CsvTables.write(file, List.of("k"), List.of(List.of("a"), List.of(""), List.of(" ")));
    assertEquals(List.of(List.of("a"), List.of(""), List.of(" ")), CsvTables.read(file).rows());
  }

  @Test
  void headerOnlyIsAnEmptyTable() throws IOException {
    Path file = dir.resolve("x.csv");
    CsvTables.write(file, List.of("a", "b"), List.of());
    CsvTables.CsvTable table = CsvTables.read(file);
    assertEquals(List.of("a", "b"), table.header());
    assertTrue(table.rows().isEmpty());
  }

  @Test
  void contentProblemsNameTheFile() throws IOException {
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "");
    assertEquals(
        empty + ": empty file, expected a header row",
        assertThrows(CsvFormatException.class, () -> CsvTables.read(empty)).getMessage());

    Path twice = dir.resolve("twice.csv");
    Files.writeString(twice, "a,b,a\n");
    assertEquals(
        twice + " line 1: header names column \"a\" twice",
        assertThrows(CsvFormatException.class, () -> CsvTables.read(twice)).getMessage());

    Path unclosed = dir.resolve("unclosed.csv");
    Files.writeString(unclosed, "a,b\n1,2\n\"open,3\n");
    CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvTables.read(unclosed));
    assertTrue(e.getMessage().startsWith(unclosed + " line "), e.getMessage());
    assertTrue(e.getMessage().contains("malformed CSV"), e.getMessage());

    Path latin1 = dir.resolve("latin1.csv");
    Files.write(latin1, new byte[] {'a', '\n', (byte) 0xE9, '\n'});
    e = assertThrows(CsvFormatException.class, () -> CsvTables.read(latin1));
    assertTrue(e.getMessage().startsWith(latin1 + ": not UTF-8 text"), e.getMessage());
  }

  @Test
  void wrongWidthRowOnWriteLeavesExistingFileAlone() throws IOException {
    Path file = dir.resolve("x.csv");
    CsvTables.write(file, List.of("a", "b"), List.of(List.of("1", "2")));
    byte[] before = Files.readAllBytes(file);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CsvTables.write(file, List.of("a", "b"), List.of(List.of("1", "2"), List.of("3"))));
    assertEquals("cannot write " + file + ": row 2 has 1 values, header has 2", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
    assertFalse(Files.exists(dir.resolve("x.csv.tmp")));
  }

  @Test
  void writeStreamsRowsWithoutHoldingThem() throws IOException {
    Path file = dir.resolve("big.csv");
    int n = 100_000;
    Iterable<List<String>> rows =
        () ->
            new Iterator<>() {
              int i;

              @Override
              public boolean hasNext() {
                return i < n;
              }

              @Override
              public List<String> next() {
                i++;
                return List.of(Integer.toString(i), "v" + i);
              }
            };
    CsvTables.write(file, List.of("k", "v"), rows);
    long[] count = {0};
    CsvTables.forEachRow(file, (h, row, line) -> count[0]++);
    assertEquals(n, count[0]);
  }
}
