package sluice.gateway.receipt;

/** A receipt does not prove what it claims; the message says which check failed. */
public final class InvalidReceiptException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidReceiptException(String message) {
    super(message);
  }

  public InvalidReceiptException(String message, Throwable cause) {
    super(message, cause);
  }
}
