package sluice.crypto.psi;

/** A value a peer sent is not an acceptable encoded group element of the session's suite. */
public final class InvalidPointException extends Exception {
  public InvalidPointException(String message) {
    super(message);
  }
}
