package sluice.catalog.grant;

/** An access request, decision or revocation was refused; the message says why and what to do. */
public final class AccessException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why, so a service can answer with the matching status. */
  public enum Kind {
    /** Something in the request is wrong or missing. */
    INVALID,
    /** The resource, request or grant does not exist. */
    NOT_FOUND,
    /** Its state does not allow it (already decided, already revoked, deprecated). */
    STATE,
    /** Someone else decided first. */
    RACE
  }

  private final Kind kind;

  public AccessException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
