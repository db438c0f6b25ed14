package sluice.catalog.ident;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * An 18-character PRC resident identity card number (公民身份号码) per GB 11643-1999: a 6-digit
 * GB/T 2260 region code, an 8-digit birth date {@code YYYYMMDD}, a 3-digit sequence code whose last
 * digit is odd for men and even for women, and a check character computed with ISO 7064 MOD 11-2.
 *
 * <p>Validation checks the length and characters, that the region starts with a province-level code
 * in use (including 71 Taiwan, 81 Hong Kong, 82 Macao and 83 for residence permits of Taiwan
 * residents), that the birth date is a real date between 1800 and today (UTC+8), and the check
 * character. It does not check that the county-level region exists. A lower-case {@code x} is
 * accepted and normalised to {@code X}.
 *
 * <p>Immutable and thread-safe.
 */
public final class CitizenIdNumber {

  /** Number of characters in a citizen ID number. */
  public static final int LENGTH = 18;

  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  private static final Set<Integer> PROVINCE_CODES =
      Set.of(
          11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
          52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83);
  private static final int EARLIEST_BIRTH_YEAR = 1800;

  private final String number;

  private CitizenIdNumber(String number) {
    this.number = number;
  }

  /** True when {@link #validate} would accept {@code text}; false for null. */
  public static boolean isValid(String text) {
    return problem(text) == null;
  }

  /**
   * Checks {@code text} against every rule of the class description.
   *
   * @throws IllegalArgumentException saying which rule failed, e.g. {@code citizen ID check
   *     character is 1, expected X}
   */
  public static void validate(String text) {
    String problem = problem(text);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Parses and validates a citizen ID number.
   *
   * @throws IllegalArgumentException as {@link #validate}
   */
  public static CitizenIdNumber parse(String text) {
    validate(text);
    return new CitizenIdNumber(normalise(text));
  }

  /**
   * The ISO 7064 MOD 11-2 check character ({@code 0}-{@code 9} or {@code X}) for the first 17
   * digits of a citizen ID number. Checks only that the input is 17 digits.
   *
   * @throws IllegalArgumentException when {@code first17Digits} is not 17 ASCII digits
   */
  public static char checkCharacter(String first17Digits) {
    if (first17Digits == null) {
      throw new IllegalArgumentException("citizen ID check character needs 17 digits, got null");
    }
    if (first17Digits.length() != LENGTH - 1) {
      throw new IllegalArgumentException(
          "citizen ID check character needs 17 digits, got " + first17Digits.length() + " characters");
    }
    int nonDigit = firstNonDigit(first17Digits);
    if (nonDigit >= 0) {
      throw new IllegalArgumentException(
          "citizen ID check character needs 17 digits, character " + (nonDigit + 1) + " is '"
              + first17Digits.charAt(nonDigit) + "'");
    }
    int sum = 0;
    for (int i = 0; i < LENGTH - 1; i++) {
      sum += (first17Digits.charAt(i) - '0') * WEIGHTS[i];
    }
    return CHECK[sum % 11];
  }

  /** The 6-digit GB/T 2260 region code where the number was first issued, e.g. {@code 110105}. */
  public String regionCode() {
    return number.substring(0, 6);
  }

  public LocalDate birthDate() {
    return birthDateOf(number.substring(6, 14));
  }

  /** True when the 17th digit (last of the sequence code) is even. */
  public boolean isFemale() {
    return (number.charAt(16) - '0') % 2 == 0;
  }

  /** The normalised number, 17 digits then a digit or upper-case {@code X}. */
  @Override
  public String toString() {
    return number;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CitizenIdNumber && ((CitizenIdNumber) o).number.equals(number);
  }

  @Override
  public int hashCode() {
    return number.hashCode();
  }

  /** Null when valid, else the message naming the first rule that fails. */
  private static String problem(String text) {
    if (text == null) {
      return "citizen ID is missing";
    }
    if (text.length() != LENGTH) {
      return "citizen ID must be 18 characters, got " + text.length();
    }
    int nonDigit = firstNonDigit(text.substring(0, LENGTH - 1));
    if (nonDigit >= 0) {
      return "citizen ID character " + (nonDigit + 1) + " is '" + text.charAt(nonDigit)
          + "', expected a digit";
    }
    char last = text.charAt(LENGTH - 1);
    if (!(last >= '0' && last <= '9') && last != 'X' && last != 'x') {
      return "citizen ID character 18 is '" + last + "', expected a digit or X";
    }
    String region = text.substring(0, 6);
    int province = Integer.parseInt(region.substring(0, 2));
    if (!PROVINCE_CODES.contains(province)) {
      return "region code " + region + " is not a GB/T 2260 region: " + region.substring(0, 2)
          + " is not a province-level code";
    }
    String birth = text.substring(6, 14);
    LocalDate date;
    try {
      date = birthDateOf(birth);
    } catch (DateTimeException e) {
      return "birth date " + birth + " is not a date";
    }
    if (date.getYear() < EARLIEST_BIRTH_YEAR) {
      return "birth date " + birth + " is before " + EARLIEST_BIRTH_YEAR;
    }
    if (date.isAfter(LocalDate.now(ZoneOffset.ofHours(8)))) {
      return "birth date " + birth + " is in the future";
    }
    char expected = checkCharacter(text.substring(0, LENGTH - 1));
    char actual = Character.toUpperCase(last);
    if (actual != expected) {
      return "citizen ID check character is " + actual + ", expected " + expected;
    }
    return null;
  }

  private static LocalDate birthDateOf(String yyyymmdd) {
    return LocalDate.of(
        Integer.parseInt(yyyymmdd.substring(0, 4)),
        Integer.parseInt(yyyymmdd.substring(4, 6)),
        Integer.parseInt(yyyymmdd.substring(6, 8)));
  }

  private static String normalise(String text) {
    return text.charAt(LENGTH - 1) == 'x' ? text.substring(0, LENGTH - 1) + 'X' : text;
  }

  /** Index of the first character that is not an ASCII digit, or -1. */
  private static int firstNonDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return i;
      }
    }
    return -1;
  }
}
