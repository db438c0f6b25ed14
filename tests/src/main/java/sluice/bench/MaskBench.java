package sluice.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import sluice.catalog.entry.Mask;
import sluice.catalog.entry.SemanticType;
import sluice.catalog.mask.MaskKey;
import sluice.catalog.mask.MaskKeys;
import sluice.catalog.mask.Masker;
import sluice.crypto.NodeId;
import sluice.crypto.sym.HmacSm3;

/**
 * Field masks per second, one thread, for each masking function. Baseline in the same run: one
 * HMAC-SM3 over the same citizen ID, the floor for the keyed pseudonym.
 *
 * <p>Run: {@code ./sluice bench mask} (JMH; pass JMH options after it, e.g. {@code -f 1 -i 5}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MaskBench {
  static final String ID = "11010519491231002X";
  final Masker masker = new Masker(new SecureRandom());
  final MaskKey key =
      new MaskKeys(new SecretKeySpec(new byte[32], "HKDF"), "bench#1").forConsumer(NodeId.parse("prov-11/dept-ca"));
  final byte[] idBytes = ID.getBytes(StandardCharsets.UTF_8);

  String mask(Mask m, SemanticType t, String v) {
    return masker.apply(m, t, v, key).orElseThrow();
  }

  @Benchmark
  public byte[] baselineHmacSm3() {
    return HmacSm3.mac(key.pseudonym(), idBytes);
  }

  @Benchmark
  public String idKeep64() {
    return mask(Mask.ID_KEEP_6_4, SemanticType.CN_ID_CARD, ID);
  }

  @Benchmark
  public String mobileKeep34() {
    return mask(Mask.MOBILE_KEEP_3_4, SemanticType.CN_MOBILE, "13812345678");
  }

  @Benchmark
  public String bankCardKeep64() {
    return mask(Mask.BANK_CARD_KEEP_6_4, SemanticType.BANK_CARD, "6222021234567890128");
  }

  @Benchmark
  public String usccHideOrg() {
    return mask(Mask.USCC_HIDE_ORG, SemanticType.CN_USCC, "91350100M000100Y43");
  }

  @Benchmark
  public String nameKeepSurname() {
    return mask(Mask.NAME_KEEP_SURNAME, SemanticType.CN_NAME, "张三丰");
  }

  @Benchmark
  public String addressToCounty() {
    return mask(Mask.ADDRESS_TO_COUNTY, SemanticType.ADDRESS, "北京市海淀区马连洼街道289号");
  }

  @Benchmark
  public String dateToMonth() {
    return mask(Mask.DATE_TO_MONTH, SemanticType.DATE, "1949-12-31");
  }

  @Benchmark
  public String generaliseId() {
    return mask(Mask.GENERALISE_ID, SemanticType.CN_ID_CARD, ID);
  }

  @Benchmark
  public String pseudonym() {
    return mask(Mask.PSEUDONYM, SemanticType.CN_ID_CARD, ID);
  }

  @Benchmark
  public String checksumPseudonymId() {
    return mask(Mask.CHECKSUM_PSEUDONYM, SemanticType.CN_ID_CARD, ID);
  }

  @Benchmark
  public String fpeMobile() {
    return mask(Mask.FPE, SemanticType.CN_MOBILE, "13812345678");
  }

  @Benchmark
  public String encryptSm4Gcm() {
    return mask(Mask.ENCRYPT, SemanticType.CN_ID_CARD, ID);
  }
}
