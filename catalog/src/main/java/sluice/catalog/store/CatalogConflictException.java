package sluice.catalog.store;

/** A catalogue change that conflicts with what is stored; the message says what to do. */
public final class CatalogConflictException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of conflict, so a service can answer with the matching status. */
  public enum Kind {
    /** The resource is already registered. */
    EXISTS,
    /** The resource is not registered. */
    UNKNOWN,
    /** Another change came first: reload and apply the change again. */
    STALE,
    /** The change is not allowed whatever the timing (e.g. moving a resource to another provider). */
    REFUSED
  }

  private final Kind kind;

  public CatalogConflictException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
