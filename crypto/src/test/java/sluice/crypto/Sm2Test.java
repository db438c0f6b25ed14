package sluice.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sm2Test {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] MESSAGE =
      "receipt: prov-44/dept-hrss answered yes".getBytes(StandardCharsets.UTF_8);

  private final KeyPair keys = Sm2.generateKeyPair(RANDOM);

  @Test
  void roundTrip() {
    byte[] sig = Sm2.signer(keys.getPrivate()).sign(MESSAGE);
    assertTrue(Sm2.verifier(keys.getPublic()).verify(MESSAGE, sig));
    assertEquals(Sm2.ALGORITHM, Sm2.signer(keys.getPrivate()).algorithm());
    assertEquals(Sm2.ALGORITHM, Sm2.verifier(keys.getPublic()).algorithm());
    assertEquals(0x30, sig[0] & 0xff, "signature is a DER SEQUENCE");
  }

  @Test
  void oneSignerSignsManyMessagesOnManyThreadsEachAlone() throws Exception {
    Signer signer = Sm2.signer(keys.getPrivate());
    Verifier verifier = Sm2.verifier(keys.getPublic());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<Boolean>> checks = new java.util.ArrayList<>();
      for (int i = 0; i < 30; i++) {
        byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
        byte[] previous = ("message " + (i - 1)).getBytes(StandardCharsets.UTF_8);
        checks.add(pool.submit(() -> {
          byte[] sig = signer.sign(message);
          // Each signature covers its own message only, not what the thread signed before.
          return verifier.verify(message, sig) && !verifier.verify(previous, sig);
        }));
      }
      for (var c : checks) {
        assertTrue(c.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void rejectsFlippedMessageBit() {
    byte[] sig = Sm2.signer(keys.getPrivate()).sign(MESSAGE);
    byte[] other = MESSAGE.clone();
    other[3] ^= 0x01;
    assertFalse(Sm2.verifier(keys.getPublic()).verify(other, sig));
  }

  @Test
  void rejectsFlippedSignatureBitAnywhere() {
    byte[] sig = Sm2.signer(keys.getPrivate()).sign(MESSAGE);
    Verifier verifier = Sm2.verifier(keys.getPublic());
    for (int i = 0; i < sig.length; i++) {
      byte[] bad = sig.clone();
      bad[i] ^= 0x04;
      assertFalse(verifier.verify(MESSAGE, bad), "flipped bit in byte " + i);
    }
  }

  @Test
  void rejectsGarbageWithoutThrowing() {
    Verifier verifier = Sm2.verifier(keys.getPublic());
    assertFalse(verifier.verify(MESSAGE, new byte[0]));
    assertFalse(verifier.verify(MESSAGE, null));
    byte[] garbage = new byte[72];
    RANDOM.nextBytes(garbage);
    assertFalse(verifier.verify(MESSAGE, garbage));
    assertFalse(verifier.verify(MESSAGE, new byte[] {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00}));
  }

  @Test
  void rejectsWrongKey() {
    byte[] sig = Sm2.signer(keys.getPrivate()).sign(MESSAGE);
    assertFalse(Sm2.verifier(Sm2.generateKeyPair(RANDOM).getPublic()).verify(MESSAGE, sig));
  }

  @Test
  void refusesNonSm2Keys() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair p256 = gen.generateKeyPair();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Sm2.signer(p256.getPrivate()));
    assertTrue(e.getMessage().contains("sm2p256v1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Sm2.verifier(p256.getPublic()));
    assertFalse(Sm2.isSm2Key(p256.getPublic()));
    assertTrue(Sm2.isSm2Key(keys.getPublic()));
  }

  @Test
  void crossCheckWithBouncyCastleJca() throws Exception {
    // Our signer (lightweight SM2Signer) -> independent JCA verifier.
    byte[] sig = Sm2.signer(keys.getPrivate()).sign(MESSAGE);
    Signature jcaVerify = Signature.getInstance("SM3withSM2", BouncyCastle.provider());
    jcaVerify.initVerify(keys.getPublic());
    jcaVerify.update(MESSAGE);
    assertTrue(jcaVerify.verify(sig));

    // Independent JCA signer -> our verifier.
    Signature jcaSign = Signature.getInstance("SM3withSM2", BouncyCastle.provider());
    jcaSign.initSign(keys.getPrivate(), RANDOM);
    jcaSign.update(MESSAGE);
    byte[] jcaSig = jcaSign.sign();
    assertTrue(Sm2.verifier(keys.getPublic()).verify(MESSAGE, jcaSig));
    assertFalse(Sm2.verifier(keys.getPublic()).verify("other".getBytes(StandardCharsets.UTF_8), jcaSig));
  }

  @Test
  void crossCheckWithOpenSsl(@TempDir Path dir) throws Exception {
    assumeTrue(OpenSsl.installed(), "openssl not on PATH");
    Path pub = dir.resolve("pub.pem");
    Files.writeString(pub, OpenSsl.pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    Path msg = dir.resolve("msg");
    Files.write(msg, MESSAGE);
    Path sig = dir.resolve("sig");
    Files.write(sig, Sm2.signer(keys.getPrivate()).sign(MESSAGE));
    assertEquals(0, OpenSsl.run(dir, "dgst", "-sm3", "-verify", pub.toString(),
        "-sigopt", OpenSsl.DEFAULT_SM2_ID, "-signature", sig.toString(), msg.toString()));

    // A signature by OpenSSL with our private key verifies with our verifier.
    Path key = dir.resolve("key.pem");
    Files.writeString(key, OpenSsl.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    Path osSig = dir.resolve("os.sig");
    assertEquals(0, OpenSsl.run(dir, "dgst", "-sm3", "-sign", key.toString(),
        "-sigopt", OpenSsl.DEFAULT_SM2_ID, "-out", osSig.toString(), msg.toString()));
    assertTrue(Sm2.verifier(keys.getPublic()).verify(MESSAGE, Files.readAllBytes(osSig)));

    // And OpenSSL rejects a tampered message.
    Files.write(msg, "tampered".getBytes(StandardCharsets.UTF_8));
    assertTrue(OpenSsl.run(dir, "dgst", "-sm3", "-verify", pub.toString(),
        "-sigopt", OpenSsl.DEFAULT_SM2_ID, "-signature", sig.toString(), msg.toString()) != 0);
  }
}
