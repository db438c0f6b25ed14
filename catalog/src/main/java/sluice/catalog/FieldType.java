package sluice.catalog;

/** The value type of a resource field; predicates are type-checked against it. */
public enum FieldType {
  /** Free text, compared exactly (ordering is lexicographic by UTF-16 code unit). */
  STRING,
  /** A signed 64-bit integer. */
  INTEGER,
  /** An exact decimal in plain notation, e.g. {@code 1234.50}. */
  DECIMAL,
  /** An ISO-8601 calendar date, {@code YYYY-MM-DD}. */
  DATE,
  /** {@code true} or {@code false}. */
  BOOLEAN
}
