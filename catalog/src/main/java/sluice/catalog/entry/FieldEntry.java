package sluice.catalog.entry;

import java.util.List;
import sluice.catalog.FieldType;

/**
 * One field of a catalogue entry.
 *
 * @param name machine name used in predicates, e.g. {@code id_number}
 * @param code the field's code in the department's data standard, e.g. {@code GMSFHM}
 * @param length maximum length in characters (0 where it does not apply)
 * @param allowedMasks the masks under which the field may leave the provider
 */
public record FieldEntry(
    String name,
    String code,
    FieldType type,
    int length,
    String description,
    Classification level,
    PersonalInfoKind personalInfo,
    IdentifierRole identifierRole,
    SemanticType semanticType,
    Mask defaultMask,
    List<Mask> allowedMasks) {

  public FieldEntry {
    allowedMasks = allowedMasks == null ? List.of() : List.copyOf(allowedMasks);
  }
}
