package sluice.gateway.audit;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;
import sluice.crypto.Hex;
import sluice.crypto.sym.HmacSm3;

/**
 * The keyed pseudonym an audit entry records instead of a subject's key: HMAC-SM3 under the
 * federation's audit key, in hex. Every gateway holds the same key, so an auditor who holds it
 * finds every access to one person in every log; without it a pseudonym of a (low-entropy)
 * citizen ID cannot be reversed by trying candidates.
 */
public final class SubjectPseudonyms {
  /** Length of the audit key in bytes. */
  public static final int KEY_LENGTH = 32;

  private static final byte[] LABEL = "sluice-audit-subject/1\0".getBytes(StandardCharsets.UTF_8);
  private final SecretKey key;

  public SubjectPseudonyms(SecretKey key) {
    if (key.getEncoded() == null || key.getEncoded().length != KEY_LENGTH) {
      throw new IllegalArgumentException("an audit key is " + KEY_LENGTH + " bytes");
    }
    this.key = key;
  }

  /** The pseudonym of {@code subjectKey} (trimmed), or empty for an empty key. */
  public String of(String subjectKey) {
    String s = subjectKey == null ? "" : subjectKey.strip();
    if (s.isEmpty()) {
      return "";
    }
    return Hex.encode(HmacSm3.mac(key, LABEL, s.getBytes(StandardCharsets.UTF_8)));
  }
}
