package sluice.catalog.snapshot;

/** A snapshot was not applied; the message says which check failed. */
public final class SnapshotRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  public SnapshotRejectedException(String message) {
    super(message);
  }
}
