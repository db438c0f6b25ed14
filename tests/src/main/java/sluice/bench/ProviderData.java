package sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import sluice.nodes.data.CsvTables;

/**
 * A larger data set for the bench federation's provider: the generated CSV's columns, one row per
 * given key, every other value copied from the generated first row.
 */
final class ProviderData {
  private ProviderData() {}

  /** {@code n} distinct citizen-ID-shaped keys of Guangdong (not check-digit valid; the bench needs distinct keys). */
  static List<String> keys(int n) {
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(String.format("4401%014d", i));
    }
    return keys;
  }

  /** Given the generated CSV, writes and returns {@code work/provider.csv} with one row per key. */
  static UnaryOperator<Path> withKeys(List<String> keys, Path work) {
    return generated -> {
      try {
        CsvTables.CsvTable t = CsvTables.read(generated);
        int keyColumn = t.header().indexOf("id_number");
        List<String> template = t.rows().get(0);
        Path out = work.resolve("provider.csv");
        CsvTables.write(out, t.header(), () -> keys.stream().map(k -> {
          List<String> row = new ArrayList<>(template);
          row.set(keyColumn, k);
          return (List<String>) row;
        }).iterator());
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
