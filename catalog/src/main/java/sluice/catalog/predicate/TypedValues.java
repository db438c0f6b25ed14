package sluice.catalog.predicate;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import sluice.catalog.FieldType;

/** The textual form of a field value (as stored in data files) and its typed form, both ways. */
public final class TypedValues {
  private TypedValues() {}

  /** The textual form of a typed value, as {@link #parse} reads it back; null for an absent one. */
  public static String text(Comparable<?> value) {
    if (value == null) {
      return null;
    }
    return value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString();
  }

  /**
   * Parses {@code text} as {@code type}. An empty string is an absent value and returns null.
   *
   * @throws IllegalArgumentException when the text is not a value of that type
   */
  public static Comparable<?> parse(FieldType type, String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    switch (type) {
      case STRING:
        return text;
      case INTEGER:
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("\"" + text + "\" is not an INTEGER");
        }
      case DECIMAL:
        try {
          return new BigDecimal(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("\"" + text + "\" is not a DECIMAL");
        }
      case DATE:
        try {
          return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("\"" + text + "\" is not a DATE (YYYY-MM-DD)");
        }
      case BOOLEAN:
        if (text.equals("true")) {
          return Boolean.TRUE;
        }
        if (text.equals("false")) {
          return Boolean.FALSE;
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a BOOLEAN (true or false)");
      default:
        throw new IllegalArgumentException("unsupported field type " + type);
    }
  }
}
