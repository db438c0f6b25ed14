package sluice.catalog.snapshot;

/** A snapshot was not applied; the message says which check failed. */
public final class SnapshotRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean needsFull;

  public SnapshotRejectedException(String message) {
    this(message, false);
  }

  /**
   * @param needsFull the snapshot was a delta from a version this gateway has not applied: it
   *     should ask the hub for the whole current snapshot
   */
  public SnapshotRejectedException(String message, boolean needsFull) {
    super(message);
    this.needsFull = needsFull;
  }

  public boolean needsFull() {
    return needsFull;
  }
}
