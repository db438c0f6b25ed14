package sluice.catalog.grant;

/** An access request, decision or revocation was refused; the message says why and what to do. */
public final class AccessException extends Exception {
  private static final long serialVersionUID = 1L;

  public AccessException(String message) {
    super(message);
  }
}
