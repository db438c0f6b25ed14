package sluice.catalog.grant;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import sluice.catalog.entry.Mask;

/** Masks chosen per field, written {@code field=MASK;field=MASK} (fields in order) for storage. */
public final class MaskChoices {
  private MaskChoices() {}

  public static String write(Map<String, Mask> masks) {
    return new TreeMap<>(masks).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().name())
        .collect(Collectors.joining(";"));
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not {@code field=MASK} pairs
   */
  public static Map<String, Mask> read(String text) {
    Map<String, Mask> out = new TreeMap<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String pair : text.split(";")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("\"" + pair + "\" is not field=MASK");
      }
      out.put(pair.substring(0, eq), Mask.valueOf(pair.substring(eq + 1)));
    }
    return out;
  }
}
