package sluice.catalog.ident;

import java.util.Locale;

/**
 * An 18-character unified social credit code (统一社会信用代码) per GB 32100-2015: position 1 the
 * registration authority, 2 the entity type, 3-8 the GB/T 2260 region code of the registering
 * authority, 9-17 the organisation code per GB 11714 (8 body characters and its own check
 * character) and 18 the check character over positions 1-17, modulo 31.
 *
 * <p>Only the 31 characters {@code 0-9 A-H J-N P-R T U W-Y} occur (no I, O, S, V or Z).
 * Validation checks the length, the characters, that positions 3-8 are digits, the organisation
 * code's check character and the overall check character. It does not check the registration
 * authority or entity type against the (extended over time) code tables. Lower-case letters are
 * accepted and normalised to upper case.
 *
 * <p>Immutable and thread-safe.
 */
public final class UnifiedSocialCreditCode {

  /** Number of characters in a unified social credit code. */
  public static final int LENGTH = 18;

  /** The characters a code may contain; a character's index is its value. */
  public static final String CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

  private static final int[] WEIGHTS = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
  };
  private static final int[] ORGANISATION_WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

  private final String code;

  private UnifiedSocialCreditCode(String code) {
    this.code = code;
  }

  /** True when {@link #validate} would accept {@code text}; false for null. */
  public static boolean isValid(String text) {
    return problem(text) == null;
  }

  /**
   * Checks {@code text} against every rule of the class description.
   *
   * @throws IllegalArgumentException saying which rule failed, e.g. {@code unified social credit
   *     code check character is 4, expected 3}
   */
  public static void validate(String text) {
    String problem = problem(text);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Parses and validates a unified social credit code.
   *
   * @throws IllegalArgumentException as {@link #validate}
   */
  public static UnifiedSocialCreditCode parse(String text) {
    validate(text);
    return new UnifiedSocialCreditCode(text.toUpperCase(Locale.ROOT));
  }

  /**
   * The GB 32100 check character for the first 17 characters of a code. Checks only that the input
   * is 17 characters of {@link #CHARSET} (upper case).
   *
   * @throws IllegalArgumentException when {@code first17} is not 17 characters of the charset
   */
  public static char checkCharacter(String first17) {
    if (first17 == null || first17.length() != LENGTH - 1) {
      throw new IllegalArgumentException(
          "unified social credit code check character needs 17 characters, got "
              + (first17 == null ? "null" : Integer.toString(first17.length())));
    }
    int sum = 0;
    for (int i = 0; i < LENGTH - 1; i++) {
      int value = CHARSET.indexOf(first17.charAt(i));
      if (value < 0) {
        throw new IllegalArgumentException(badCharacter(i, first17.charAt(i)));
      }
      sum += value * WEIGHTS[i];
    }
    return CHARSET.charAt((31 - sum % 31) % 31);
  }

  /**
   * The GB 11714 check character ({@code 0}-{@code 9} or {@code X}) of an organisation code, from
   * its 8 body characters (digits or upper-case letters, A=10 ... Z=35).
   *
   * @throws IllegalArgumentException when {@code body8} is not 8 digits or upper-case ASCII letters
   */
  public static char organisationCodeCheck(String body8) {
    if (body8 == null || body8.length() != 8) {
      throw new IllegalArgumentException(
          "organisation code check character needs 8 body characters, got "
              + (body8 == null ? "null" : Integer.toString(body8.length())));
    }
    int sum = 0;
    for (int i = 0; i < 8; i++) {
      char c = body8.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
      if (!ok) {
        throw new IllegalArgumentException(
            "organisation code character " + (i + 1) + " is '" + c
                + "', expected a digit or an upper-case letter");
      }
      sum += Character.digit(c, 36) * ORGANISATION_WEIGHTS[i];
    }
    int check = 11 - sum % 11;
    return check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check);
  }

  /** Position 1: the registration authority, e.g. {@code 9} for market regulation (工商). */
  public char registrationAuthority() {
    return code.charAt(0);
  }

  /** Position 2: the entity type within the authority, e.g. {@code 1} for an enterprise. */
  public char entityType() {
    return code.charAt(1);
  }

  /** Positions 3-8: the 6-digit region code of the registering authority. */
  public String regionCode() {
    return code.substring(2, 8);
  }

  /** Positions 9-17: the 9-character GB 11714 organisation code, check character included. */
  public String organisationCode() {
    return code.substring(8, 17);
  }

  /** The normalised (upper-case) code. */
  @Override
  public String toString() {
    return code;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnifiedSocialCreditCode && ((UnifiedSocialCreditCode) o).code.equals(code);
  }

  @Override
  public int hashCode() {
    return code.hashCode();
  }

  /** Null when valid, else the message naming the first rule that fails. */
  private static String problem(String text) {
    if (text == null) {
      return "unified social credit code is missing";
    }
    if (text.length() != LENGTH) {
      return "unified social credit code must be 18 characters, got " + text.length();
    }
    String upper = text.toUpperCase(Locale.ROOT);
    for (int i = 0; i < LENGTH; i++) {
      if (CHARSET.indexOf(upper.charAt(i)) < 0) {
        return badCharacter(i, text.charAt(i));
      }
    }
    for (int i = 2; i < 8; i++) {
      if (upper.charAt(i) < '0' || upper.charAt(i) > '9') {
        return "unified social credit code positions 3-8 must be a 6-digit region code, got "
            + upper.substring(2, 8);
      }
    }
    char organisationExpected = organisationCodeCheck(upper.substring(8, 16));
    if (upper.charAt(16) != organisationExpected) {
      return "unified social credit code organisation code (positions 9-17) check character is "
          + upper.charAt(16) + ", expected " + organisationExpected;
    }
    char expected = checkCharacter(upper.substring(0, LENGTH - 1));
    if (upper.charAt(LENGTH - 1) != expected) {
      return "unified social credit code check character is " + upper.charAt(LENGTH - 1)
          + ", expected " + expected;
    }
    return null;
  }

  private static String badCharacter(int index, char c) {
    return "unified social credit code character " + (index + 1) + " is '" + c
        + "', which GB 32100 does not use (allowed: 0-9 and A-H J-N P-R T U W-Y)";
  }
}
