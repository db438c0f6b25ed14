package sluice.catalog.mask;

/** A value a mask cannot be applied to (a 17-digit citizen ID, a date that is not one, ...). */
public final class InvalidMaskInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidMaskInputException(String message) {
    super(message);
  }
}
