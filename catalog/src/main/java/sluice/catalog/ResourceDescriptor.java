package sluice.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import sluice.crypto.NodeId;

/**
 * What the federation needs to know to route and answer questions about one data resource:
 * its code, its provider department node, the field that identifies the subject and the typed
 * fields. The full catalogue entry (classification, sharing conditions, versions) extends this.
 */
public record ResourceDescriptor(
    String code, String name, NodeId provider, String subjectKeyField, List<FieldSpec> fields) {

  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public ResourceDescriptor {
    Objects.requireNonNull(code, "resource code");
    Objects.requireNonNull(name, "resource name");
    Objects.requireNonNull(provider, "provider node");
    Objects.requireNonNull(subjectKeyField, "subject key field");
    fields = List.copyOf(fields);
    if (!CODE.matcher(code).matches()) {
      throw new IllegalArgumentException(
          "resource code \"" + code + "\" must be 1-64 letters, digits, '.', '_' or '-'");
    }
    if (!provider.isDepartment()) {
      throw new IllegalArgumentException(
          "resource " + code + ": provider " + provider + " is not a department node");
    }
    Set<String> seen = new HashSet<>();
    for (FieldSpec f : fields) {
      if (!seen.add(f.name())) {
        throw new IllegalArgumentException("resource " + code + ": duplicate field " + f.name());
      }
    }
    if (!seen.contains(subjectKeyField)) {
      throw new IllegalArgumentException(
          "resource " + code + ": subject key field " + subjectKeyField + " is not a field");
    }
  }

  /** The position of {@code fieldName} among the fields (a record's value index), or -1. */
  public int indexOf(String fieldName) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(fieldName)) {
        return i;
      }
    }
    return -1;
  }

  public Optional<FieldSpec> field(String fieldName) {
    return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
  }
}
