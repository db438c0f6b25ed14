package sluice.catalog.ident;

/**
 * The Luhn (ISO/IEC 7812-1, mod 10) check digit, as used by bank card numbers (银行卡号).
 *
 * <p>{@link #isValid} and {@link #checkDigit} work on digit strings of any length;
 * {@link #validate} applies the bank card rules (12 to 19 digits) as well.
 */
public final class Luhn {

  /** Fewest digits in a bank card number accepted by {@link #validate}. */
  public static final int MIN_CARD_LENGTH = 12;

  /** Most digits in a bank card number accepted by {@link #validate}. */
  public static final int MAX_CARD_LENGTH = 19;

  private Luhn() {}

  /**
   * True when {@code digits} is at least two ASCII digits whose last is the Luhn check digit of
   * the others; false otherwise (including null). Does not check bank card length.
   */
  public static boolean isValid(String digits) {
    if (digits == null || digits.length() < 2 || firstNonDigit(digits) >= 0) {
      return false;
    }
    return checkDigit(digits.substring(0, digits.length() - 1)) == digits.charAt(digits.length() - 1);
  }

  /**
   * The digit to append to {@code payload} so that the whole passes the Luhn check.
   *
   * @throws IllegalArgumentException when {@code payload} is empty or not all ASCII digits
   */
  public static char checkDigit(String payload) {
    if (payload == null || payload.isEmpty()) {
      throw new IllegalArgumentException("Luhn check digit needs at least one payload digit");
    }
    int bad = firstNonDigit(payload);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "Luhn payload character " + (bad + 1) + " is '" + payload.charAt(bad) + "', expected a digit");
    }
    int sum = 0;
    boolean doubled = true; // the rightmost payload digit is doubled
    for (int i = payload.length() - 1; i >= 0; i--) {
      int d = payload.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }

  /** True when {@link #validate} would accept {@code cardNumber}; false for null. */
  public static boolean isValidCardNumber(String cardNumber) {
    return cardNumber != null
        && cardNumber.length() >= MIN_CARD_LENGTH
        && cardNumber.length() <= MAX_CARD_LENGTH
        && isValid(cardNumber);
  }

  /**
   * Checks a bank card number: 12 to 19 ASCII digits passing the Luhn check.
   *
   * @throws IllegalArgumentException saying which rule failed, e.g. {@code bank card number check
   *     digit is 7, expected 8}
   */
  public static void validate(String cardNumber) {
    if (cardNumber == null) {
      throw new IllegalArgumentException("bank card number is missing");
    }
    int length = cardNumber.length();
    if (length < MIN_CARD_LENGTH || length > MAX_CARD_LENGTH) {
      throw new IllegalArgumentException(
          "bank card number must be " + MIN_CARD_LENGTH + " to " + MAX_CARD_LENGTH + " digits, got "
              + length + " characters");
    }
    int bad = firstNonDigit(cardNumber);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "bank card number character " + (bad + 1) + " is '" + cardNumber.charAt(bad)
              + "', expected a digit");
    }
    char expected = checkDigit(cardNumber.substring(0, length - 1));
    if (cardNumber.charAt(length - 1) != expected) {
      throw new IllegalArgumentException(
          "bank card number check digit is " + cardNumber.charAt(length - 1) + ", expected " + expected);
    }
  }

  private static int firstNonDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return i;
      }
    }
    return -1;
  }
}
