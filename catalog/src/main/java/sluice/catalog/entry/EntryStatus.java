package sluice.catalog.entry;

/** Lifecycle of a catalogue entry. */
public enum EntryStatus {
  /** Open for grants and calls. */
  ACTIVE,
  /** Refuses new grants; refuses calls after its sunset date. */
  DEPRECATED
}
