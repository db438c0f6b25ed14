package sluice.catalog.mask;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import sluice.crypto.sym.HmacSm3;

/**
 * A keyed pseudonym: HMAC-SM3 of the value under the consumer's pseudonym key, in lower-case hex,
 * cut to {@code length} characters. The same value gives the same pseudonym for one consumer (so
 * it can count and join), different ones for different consumers. The domain (the field's
 * semantic type) is bound in, so an ID and a mobile number with the same digits do not collide.
 */
public final class KeyedPseudonym {
  /** Default length: 128 bits. */
  public static final int DEFAULT_LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private KeyedPseudonym() {}

  public static String of(SecretKey key, String domain, String value, int length) {
    if (length < 16 || length > 2 * HmacSm3.LENGTH) {
      throw new IllegalArgumentException("a pseudonym is 16 to 64 hex characters, not " + length);
    }
    if (value == null) {
      throw new InvalidMaskInputException("no value to pseudonymise");
    }
    byte[] tag =
        HmacSm3.mac(
            key, domain.getBytes(StandardCharsets.UTF_8), new byte[] {0}, value.getBytes(StandardCharsets.UTF_8));
    return HEX.formatHex(tag).substring(0, length);
  }
}
