package sluice.catalog.mask;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import sluice.catalog.ident.CitizenIdNumber;
import sluice.catalog.ident.Luhn;
import sluice.catalog.ident.UnifiedSocialCreditCode;

/**
 * Display masks that keep some characters of an identifier or date and hide the rest with
 * {@code *}. Each checks its input first (length, characters, check digit), so a malformed value
 * is refused rather than masked into something that looks valid.
 */
public final class CharacterMasks {
  private static final Pattern MOBILE = Pattern.compile("1[3-9][0-9]{9}");

  private CharacterMasks() {}

  /** {@code 11010519491231002X} to {@code 110105********002X}. */
  public static String citizenId(String value) {
    String id = citizenIdNumber(value).toString();
    return id.substring(0, 6) + stars(8) + id.substring(14);
  }

  /** {@code 13812345678} to {@code 138****5678}. */
  public static String mobile(String value) {
    requireMobile(value);
    return value.substring(0, 3) + stars(4) + value.substring(7);
  }

  /** {@code 6222021234567890128} to {@code 622202*********0128}. */
  public static String bankCard(String value) {
    requireBankCard(value);
    return value.substring(0, 6) + stars(value.length() - 10) + value.substring(value.length() - 4);
  }

  /** {@code 91350100M000100Y43} to {@code 91350100*********3}: the organisation code hidden. */
  public static String usccHideOrganisation(String value) {
    String code = uscc(value).toString();
    return code.substring(0, 8) + stars(9) + code.substring(17);
  }

  /** {@code 1949-12-31} to {@code 1949}. */
  public static String dateToYear(String value) {
    return date(value).toString().substring(0, 4);
  }

  /** {@code 1949-12-31} to {@code 1949-12}. */
  public static String dateToMonth(String value) {
    return date(value).toString().substring(0, 7);
  }

  static CitizenIdNumber citizenIdNumber(String value) {
    try {
      return CitizenIdNumber.parse(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidMaskInputException(e.getMessage());
    }
  }

  static UnifiedSocialCreditCode uscc(String value) {
    try {
      return UnifiedSocialCreditCode.parse(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidMaskInputException(e.getMessage());
    }
  }

  /** Whether {@code value} is an 11-digit mainland mobile number. */
  static boolean isMobile(String value) {
    return value != null && MOBILE.matcher(value).matches();
  }

  static void requireMobile(String value) {
    if (!isMobile(value)) {
      throw new InvalidMaskInputException("a mobile number is 11 digits starting 13-19");
    }
  }

  static void requireBankCard(String value) {
    try {
      Luhn.validate(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidMaskInputException(e.getMessage());
    }
  }

  /** A date written YYYY-MM-DD (years 0000 to 9999), checked to exist. */
  static LocalDate date(String value) {
    if (value == null || value.length() != 10) {
      throw new InvalidMaskInputException("a date is YYYY-MM-DD, got \"" + value + "\"");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new InvalidMaskInputException("a date is YYYY-MM-DD, got \"" + value + "\"");
    }
  }

  static String stars(int n) {
    return "*".repeat(n);
  }
}
