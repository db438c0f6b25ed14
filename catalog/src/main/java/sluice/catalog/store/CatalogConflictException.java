package sluice.catalog.store;

/** A catalogue change that conflicts with what is stored; the message says what to do. */
public final class CatalogConflictException extends Exception {
  private static final long serialVersionUID = 1L;

  public CatalogConflictException(String message) {
    super(message);
  }
}
