package sluice.catalog.mask;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.crypto.SecretKey;
import sluice.catalog.entry.SemanticType;
import sluice.crypto.sym.Ff1;

/**
 * Format-preserving encryption (FF1 over SM4) of a whole value: the same length over the same
 * characters, reversible with the consumer's key. Mobile and bank card numbers and region codes
 * are enciphered as digits; citizen IDs, credit codes and other codes as upper-case letters and
 * digits. The semantic type is the tweak, so the holder of the key needs only the field's type
 * to decrypt.
 */
public final class FormatPreservingMask {
  private FormatPreservingMask() {}

  public static String encrypt(SecretKey key, SemanticType type, String value) {
    return process(true, key, type, value);
  }

  public static String decrypt(SecretKey key, SemanticType type, String value) {
    return process(false, key, type, value);
  }

  static Alphabet alphabet(SemanticType type) {
    return switch (type) {
      case CN_MOBILE, BANK_CARD, REGION_CODE -> Alphabet.DIGITS;
      default -> Alphabet.ALPHANUMERIC;
    };
  }

  private static String process(boolean encrypt, SecretKey key, SemanticType type, String value) {
    if (value == null) {
      throw new InvalidMaskInputException("no value to encrypt");
    }
    Alphabet alphabet = alphabet(type);
    String text = value.toUpperCase(Locale.ROOT);
    byte[] numerals = alphabet.numerals(text);
    if (!Ff1.domainLargeEnough(alphabet.radix(), numerals.length)) {
      throw new InvalidMaskInputException(
          "too short for format-preserving encryption: " + numerals.length + " characters give fewer than "
              + Ff1.MIN_DOMAIN + " values");
    }
    Ff1 ff1 = new Ff1(Ff1.Cipher.SM4, key);
    byte[] tweak = type.name().getBytes(StandardCharsets.UTF_8);
    return alphabet.text(encrypt ? ff1.encrypt(numerals, alphabet.radix(), tweak) : ff1.decrypt(numerals, alphabet.radix(), tweak));
  }
}
