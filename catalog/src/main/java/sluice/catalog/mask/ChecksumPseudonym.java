package sluice.catalog.mask;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Year;
import javax.crypto.SecretKey;
import sluice.catalog.ident.CitizenIdNumber;
import sluice.catalog.ident.Luhn;
import sluice.catalog.ident.UnifiedSocialCreditCode;
import sluice.crypto.sym.Ff1;

/**
 * A keyed substitute for an identifier that is itself a well-formed identifier of the same kind,
 * passing the same check digit, so systems that validate identifiers accept it. The substitute is
 * a keyed permutation (FF1 over SM4, cycle-walking inside the valid values), so distinct people
 * get distinct substitutes under one consumer's key, and the same person the same one.
 *
 * <ul>
 *   <li>citizen ID: keeps region, birth year and gender; replaces birth day and sequence number;
 *   <li>mobile: keeps the 3-digit network prefix; replaces the other 8 digits;
 *   <li>bank card: keeps the issuer (first 6 digits) where the number is long enough; replaces
 *       the account digits and recomputes the Luhn digit;
 *   <li>credit code: keeps registration authority, entity type and region; replaces the
 *       organisation code and recomputes both check characters.
 * </ul>
 */
public final class ChecksumPseudonym {
  private static final int PERMUTED_WIDTH = 6;

  private ChecksumPseudonym() {}

  public static String citizenId(SecretKey key, String value) {
    CitizenIdNumber id = CharacterMasks.citizenIdNumber(value);
    String number = id.toString();
    int year = id.birthDate().getYear();
    boolean female = id.isFemale();
    int sequence = Integer.parseInt(number.substring(14, 17));
    // Sequence numbers of one gender: men 001, 003 ... 999 (500); women 002, 004 ... 998 (499).
    int perGender = female ? 499 : 500;
    int n = female ? sequence / 2 - 1 : (sequence - 1) / 2;
    if (n < 0) {
      throw new InvalidMaskInputException("citizen ID sequence number 000 is never issued");
    }
    long domain = (long) Year.of(year).length() * perGender;
    long index = (long) (id.birthDate().getDayOfYear() - 1) * perGender + n;
    byte[] tweak = ("CN_ID_CARD|" + number.substring(0, 10) + (female ? "F" : "M")).getBytes(StandardCharsets.UTF_8);
    long permuted = permute(key, index, domain, tweak);
    LocalDate birth = LocalDate.ofYearDay(year, (int) (permuted / perGender) + 1);
    int m = (int) (permuted % perGender);
    int newSequence = female ? 2 * (m + 1) : 2 * m + 1;
    String first17 =
        number.substring(0, 6) + String.format("%04d%02d%02d%03d", year, birth.getMonthValue(), birth.getDayOfMonth(), newSequence);
    return first17 + CitizenIdNumber.checkCharacter(first17);
  }

  public static String mobile(SecretKey key, String value) {
    CharacterMasks.requireMobile(value);
    String prefix = value.substring(0, 3);
    byte[] tweak = ("CN_MOBILE|" + prefix).getBytes(StandardCharsets.UTF_8);
    return prefix + Alphabet.DIGITS.text(new Ff1(Ff1.Cipher.SM4, key).encrypt(Alphabet.DIGITS.numerals(value.substring(3)), 10, tweak));
  }

  public static String bankCard(SecretKey key, String value) {
    CharacterMasks.requireBankCard(value);
    String payload = value.substring(0, value.length() - 1);
    int keep = Math.max(0, Math.min(6, payload.length() - PERMUTED_WIDTH));
    String kept = payload.substring(0, keep);
    byte[] tweak = ("BANK_CARD|" + kept + "|" + value.length()).getBytes(StandardCharsets.UTF_8);
    String replaced =
        Alphabet.DIGITS.text(new Ff1(Ff1.Cipher.SM4, key).encrypt(Alphabet.DIGITS.numerals(payload.substring(keep)), 10, tweak));
    return kept + replaced + Luhn.checkDigit(kept + replaced);
  }

  public static String uscc(SecretKey key, String value) {
    String code = CharacterMasks.uscc(value).toString();
    Alphabet charset = new Alphabet(UnifiedSocialCreditCode.CHARSET);
    String prefix = code.substring(0, 8);
    byte[] tweak = ("CN_USCC|" + prefix).getBytes(StandardCharsets.UTF_8);
    String body =
        charset.text(new Ff1(Ff1.Cipher.SM4, key).encrypt(charset.numerals(code.substring(8, 16)), charset.radix(), tweak));
    String first17 = prefix + body + UnifiedSocialCreditCode.organisationCodeCheck(body);
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }

  /**
   * A keyed permutation of [0, domain): FF1 over 6 decimal numerals, applied again until the
   * result falls inside the domain (cycle-walking keeps it a permutation).
   */
  private static long permute(SecretKey key, long index, long domain, byte[] tweak) {
    Ff1 ff1 = new Ff1(Ff1.Cipher.SM4, key);
    long x = index;
    do {
      x = Alphabet.DIGITS.value(ff1.encrypt(Alphabet.DIGITS.numerals(x, PERMUTED_WIDTH), 10, tweak));
    } while (x >= domain);
    return x;
  }
}
