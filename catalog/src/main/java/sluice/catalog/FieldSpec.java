package sluice.catalog;

import java.util.Objects;
import java.util.regex.Pattern;

/** One field of a resource: its name and value type. */
public record FieldSpec(String name, FieldType type) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  public FieldSpec {
    Objects.requireNonNull(name, "field name");
    Objects.requireNonNull(type, "field type");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "field name \"" + name + "\" must be lower-case letters, digits and '_', starting with a letter");
    }
  }
}
