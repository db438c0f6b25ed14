package sluice.catalog.mask;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import sluice.crypto.sym.Sm4Gcm;

/**
 * Reversible encryption of a field for holders of the consumer's key: SM4-GCM with a fresh nonce,
 * the field's domain as associated data, written {@code sm4gcm:} and URL-safe base64.
 */
public final class FieldEncryption {
  public static final String PREFIX = "sm4gcm:";

  private FieldEncryption() {}

  public static String encrypt(SecretKey key, String domain, String value, SecureRandom random) {
    if (value == null) {
      throw new InvalidMaskInputException("no value to encrypt");
    }
    byte[] sealed =
        Sm4Gcm.encrypt(key, domain.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), random);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
  }

  /**
   * @throws AEADBadTagException when the text was altered or belongs to another key or domain
   */
  public static String decrypt(SecretKey key, String domain, String text) throws AEADBadTagException {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new AEADBadTagException("not an encrypted field (" + PREFIX + "...)");
    }
    byte[] sealed;
    try {
      sealed = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new AEADBadTagException("encrypted field is not base64");
    }
    return new String(Sm4Gcm.decrypt(key, domain.getBytes(StandardCharsets.UTF_8), sealed), StandardCharsets.UTF_8);
  }
}
