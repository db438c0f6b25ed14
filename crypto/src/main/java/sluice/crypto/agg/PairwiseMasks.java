package sluice.crypto.agg;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Pairwise masks for secure aggregation (Bonawitz et al. 2017, without the dropout recovery):
 * participants i and j derive the same 64-bit mask m_ij per figure from their X25519 shared
 * secret by HKDF-SM3 (salt: the session id; info: the figure's index and both participants' names
 * in order). Participant i adds m_ij for every j named after it and subtracts it for every j
 * named before it, so over all participants the masks cancel modulo 2^64 and the sum of masked
 * figures is the sum of the figures; any one masked figure is uniformly random to whoever lacks
 * i's secrets. If a participant's masked figure is missing, the rest do not cancel: the sum is
 * garbage, never a plausible wrong total, and the session must be run again without it.
 */
public final class PairwiseMasks {
  private static final byte[] DOMAIN = "sluice-aggregate-mask-v1".getBytes(StandardCharsets.US_ASCII);

  private PairwiseMasks() {}

  /**
   * The net mask to add to each of {@code figures} figures of participant {@code self}.
   *
   * @param others every other participant's name and session public key
   * @throws IllegalArgumentException when a key is malformed, or {@code self} is among others
   */
  public static long[] net(String self, ShareKeyPair mine, Map<String, byte[]> others, String sessionId, int figures) {
    long[] net = new long[figures];
    for (Map.Entry<String, byte[]> other : new TreeMap<>(others).entrySet()) {
      int order = self.compareTo(other.getKey());
      if (order == 0) {
        throw new IllegalArgumentException(self + " is listed among its own peers");
      }
      byte[] shared = mine.agree(other.getValue());
      String low = order < 0 ? self : other.getKey();
      String high = order < 0 ? other.getKey() : self;
      for (int f = 0; f < figures; f++) {
        long m = derive(shared, sessionId, f, low, high);
        net[f] += order < 0 ? m : -m;
      }
      Arrays.fill(shared, (byte) 0);
    }
    return net;
  }

  private static long derive(byte[] shared, String sessionId, int figure, String low, String high) {
    byte[] info = (new String(DOMAIN, StandardCharsets.US_ASCII) + "|" + figure + "|" + low + "|" + high)
        .getBytes(StandardCharsets.UTF_8);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SM3Digest());
    hkdf.init(new HKDFParameters(shared, sessionId.getBytes(StandardCharsets.UTF_8), info));
    byte[] out = new byte[8];
    hkdf.generateBytes(out, 0, 8);
    long v = 0;
    for (byte b : out) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }
}
