package sluice.catalog.mask;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;
import sluice.crypto.NodeId;
import sluice.crypto.sym.Hkdf;
import sluice.crypto.sym.Sm4Gcm;

/**
 * A provider's masking keys: one master key, from which each consumer department gets its own
 * keys (HKDF over SM3, the consumer's node id as salt), so two consumers' pseudonyms of the same
 * person differ and their results cannot be joined.
 */
public final class MaskKeys {
  private final SecretKey master;
  private final String masterId;

  /**
   * @param master at least 32 random bytes, kept by the provider
   * @param masterId names the master key in audit records, e.g. {@code prov-44/dept-hrss#1}
   */
  public MaskKeys(SecretKey master, String masterId) {
    if (master.getEncoded() == null || master.getEncoded().length < 32) {
      throw new IllegalArgumentException("a masking master key needs at least 32 bytes");
    }
    this.master = master;
    this.masterId = masterId;
  }

  public MaskKey forConsumer(NodeId consumer) {
    byte[] salt = consumer.toString().getBytes(StandardCharsets.UTF_8);
    return new MaskKey(
        masterId + ":" + consumer,
        Hkdf.derive(master, salt, info("pseudonym"), 32, "HmacSM3"),
        Hkdf.derive(master, salt, info("fpe"), Sm4Gcm.KEY_LENGTH, "SM4"),
        Hkdf.derive(master, salt, info("encryption"), Sm4Gcm.KEY_LENGTH, "SM4"));
  }

  private static byte[] info(String purpose) {
    return ("sluice-mask-key/v1/" + purpose).getBytes(StandardCharsets.UTF_8);
  }
}
