package sluice.nodes.department;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sluice.catalog.FieldSpec;
import sluice.catalog.ResourceDescriptor;
import sluice.catalog.predicate.Record;
import sluice.catalog.predicate.TypedValues;

/**
 * Records held in memory, parsed and typed once at load. Rows are matched to fields by column
 * name, so column order in the source does not matter; extra columns are ignored.
 */
public final class InMemoryRecordStore implements RecordStore {
  private final Map<String, Comparable<?>[]> byKey;

  private InMemoryRecordStore(Map<String, Comparable<?>[]> byKey) {
    this.byKey = byKey;
  }

  /** Incremental loader; not thread-safe, build then share the store. */
  public static final class Loader {
    private final ResourceDescriptor resource;
    private final String source;
    private final int[] columnOf;
    private final int keyColumn;
    private final Map<String, Comparable<?>[]> byKey = new HashMap<>();

    /**
     * @param source name of the data source for error messages (a file name)
     * @param header column names of the rows that follow
     */
    public Loader(ResourceDescriptor resource, String source, List<String> header) {
      this.resource = resource;
      this.source = source;
      List<FieldSpec> fields = resource.fields();
      this.columnOf = new int[fields.size()];
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < fields.size(); i++) {
        columnOf[i] = header.indexOf(fields.get(i).name());
        if (columnOf[i] < 0) {
          missing.add(fields.get(i).name());
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(
            source + ": no column for field(s) " + String.join(", ", missing) + " of resource "
                + resource.code());
      }
      this.keyColumn = header.indexOf(resource.subjectKeyField());
    }

    /**
     * Adds one row.
     *
     * @param line line number for error messages
     * @throws IllegalArgumentException naming the source, line and field of a bad value
     */
    public void add(List<String> row, long line) {
      List<FieldSpec> fields = resource.fields();
      Comparable<?>[] values = new Comparable<?>[fields.size()];
      for (int i = 0; i < values.length; i++) {
        String text = columnOf[i] < row.size() ? row.get(columnOf[i]) : "";
        try {
          values[i] = TypedValues.parse(fields.get(i).type(), text);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              source + " line " + line + ", field " + fields.get(i).name() + ": " + e.getMessage());
        }
      }
      String key = keyColumn < row.size() ? row.get(keyColumn) : "";
      if (key.isEmpty()) {
        throw new IllegalArgumentException(
            source + " line " + line + ": empty subject key " + resource.subjectKeyField());
      }
      if (byKey.putIfAbsent(key, values) != null) {
        throw new IllegalArgumentException(
            source + " line " + line + ": the subject key appears more than once");
      }
    }

    public InMemoryRecordStore build() {
      return new InMemoryRecordStore(Map.copyOf(byKey));
    }
  }

  @Override
  public Optional<Record> find(String subjectKey) {
    Comparable<?>[] values = byKey.get(subjectKey);
    return values == null ? Optional.empty() : Optional.of(i -> values[i]);
  }

  @Override
  public void forEach(java.util.function.BiConsumer<String, Record> action) {
    byKey.forEach((key, values) -> action.accept(key, i -> values[i]));
  }

  @Override
  public long size() {
    return byKey.size();
  }
}
