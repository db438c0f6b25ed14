package sluice.crypto.sym;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The symmetric primitives against published vectors (shared/vectors/crypto.txt) and each other. */
class SymmetricTest {
  static final HexFormat HEX = HexFormat.of();

  static byte[] digits(String s) {
    byte[] out = new byte[s.length()];
    for (int i = 0; i < s.length(); i++) {
      out[i] = (byte) (s.charAt(i) - '0');
    }
    return out;
  }

  static String text(byte[] numerals) {
    StringBuilder b = new StringBuilder();
    for (byte n : numerals) {
      b.append((char) ('0' + n));
    }
    return b.toString();
  }

  /** NIST SP 800-38G FF1 samples 1 and 2 (AES-128, radix 10). */
  @Test
  void ff1MatchesTheNistSamples() {
    Ff1 ff1 = new Ff1(Ff1.Cipher.AES, new SecretKeySpec(HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C"), "AES"));
    assertEquals("2433477484", text(ff1.encrypt(digits("0123456789"), 10, new byte[0])));
    byte[] tweak = HEX.parseHex("39383736353433323130");
    assertEquals("6124200773", text(ff1.encrypt(digits("0123456789"), 10, tweak)));
    assertEquals("0123456789", text(ff1.decrypt(digits("6124200773"), 10, tweak)));
  }

  @Test
  void ff1OverSm4IsAPermutationThatRefusesTooSmallDomains() {
    Ff1 ff1 = new Ff1(Ff1.Cipher.SM4, new SecretKeySpec(HEX.parseHex("0123456789abcdeffedcba9876543210"), "SM4"));
    byte[] pt = digits("13812345678");
    byte[] ct = ff1.encrypt(pt, 10, "CN_MOBILE".getBytes(StandardCharsets.UTF_8));
    assertEquals(11, ct.length);
    assertFalse(Arrays.equals(pt, ct));
    assertArrayEquals(pt, ff1.decrypt(ct, 10, "CN_MOBILE".getBytes(StandardCharsets.UTF_8)));
    assertFalse(Arrays.equals(ct, ff1.encrypt(pt, 10, "OTHER".getBytes(StandardCharsets.UTF_8))), "the tweak matters");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ff1.encrypt(digits("12345"), 10, new byte[0]))
        .getMessage().contains("too few"));
    assertThrows(IllegalArgumentException.class, () -> ff1.encrypt(new byte[] {1, 2, 3, 4, 5, 10}, 10, new byte[0]));
  }

  /** HMAC-SM3 as recorded in shared/research/masking.md (Python hmac and BouncyCastle agree). */
  @Test
  void hmacSm3MatchesTheRecordedValue() {
    SecretKey key = new SecretKeySpec("gateway-demo-key".getBytes(StandardCharsets.UTF_8), "HmacSM3");
    byte[] tag = HmacSm3.mac(key, "CN_ID_CARD|".getBytes(StandardCharsets.UTF_8),
        "11010519491231002X".getBytes(StandardCharsets.UTF_8));
    assertTrue(HEX.formatHex(tag).startsWith("e0fbd8a59826cbf9"), HEX.formatHex(tag));
  }

  @Test
  void sm4GcmRoundTripsAndRejectsAnyChange() throws Exception {
    SecureRandom random = new SecureRandom();
    SecretKey key = Hkdf.derive(new SecretKeySpec(new byte[32], "HKDF"), new byte[0],
        "test".getBytes(StandardCharsets.UTF_8), Sm4Gcm.KEY_LENGTH, "SM4");
    byte[] aad = "CN_ID_CARD".getBytes(StandardCharsets.UTF_8);
    byte[] pt = "11010519491231002X".getBytes(StandardCharsets.UTF_8);
    byte[] a = Sm4Gcm.encrypt(key, aad, pt, random);
    byte[] b = Sm4Gcm.encrypt(key, aad, pt, random);
    assertFalse(Arrays.equals(a, b), "a fresh nonce each time");
    assertArrayEquals(pt, Sm4Gcm.decrypt(key, aad, a));
    byte[] flipped = a.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThrows(AEADBadTagException.class, () -> Sm4Gcm.decrypt(key, aad, flipped));
    assertThrows(AEADBadTagException.class, () -> Sm4Gcm.decrypt(key, "OTHER".getBytes(StandardCharsets.UTF_8), a));
  }

  @Test
  void hkdfGivesIndependentKeysPerPurpose() {
    SecretKey master = new SecretKeySpec(HEX.parseHex("000102030405060708090a0b0c0d0e0f"), "HKDF");
    byte[] one = Hkdf.derive(master, new byte[0], "a".getBytes(StandardCharsets.UTF_8), 32, "x").getEncoded();
    byte[] again = Hkdf.derive(master, new byte[0], "a".getBytes(StandardCharsets.UTF_8), 32, "x").getEncoded();
    byte[] other = Hkdf.derive(master, new byte[0], "b".getBytes(StandardCharsets.UTF_8), 32, "x").getEncoded();
    assertArrayEquals(one, again);
    assertFalse(Arrays.equals(one, other));
  }
}
