package sluice.nodes.department;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import sluice.catalog.ResourceDescriptor;
import sluice.nodes.data.CsvTables;

/** Loads a resource's records from a CSV file whose header names the fields. */
public final class CsvRecords {
  private CsvRecords() {}

  /**
   * Streams the file into memory, typing every value once.
   *
   * @throws IOException when the file cannot be read or is not well-formed CSV
   * @throws IllegalArgumentException naming the file, line and field of bad content
   */
  public static InMemoryRecordStore load(ResourceDescriptor resource, Path csv) throws IOException {
    InMemoryRecordStore.Loader[] loader = {null};
    List<String> header =
        CsvTables.forEachRow(
            csv,
            (columns, row, line) -> {
              if (loader[0] == null) {
                loader[0] = new InMemoryRecordStore.Loader(resource, csv.toString(), columns);
              }
              loader[0].add(row, line);
            });
    if (loader[0] == null) {
      loader[0] = new InMemoryRecordStore.Loader(resource, csv.toString(), header);
    }
    return loader[0].build();
  }
}
