package sluice.catalog.entry;

/** How a field identifies a person or organisation, for de-identification decisions. */
public enum IdentifierRole {
  /** Identifies the subject on its own (citizen ID, mobile number). */
  DIRECT,
  /** Identifies in combination with others (birth date, address). */
  QUASI,
  /** Describes the subject without identifying it. */
  ATTRIBUTE
}
