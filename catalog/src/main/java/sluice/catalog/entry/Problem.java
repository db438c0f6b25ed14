package sluice.catalog.entry;

/**
 * One thing wrong with a catalogue entry, at a path such as {@code fields[3].semanticType}.
 */
public record Problem(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
