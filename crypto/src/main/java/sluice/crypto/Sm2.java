package sluice.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * SM2 signatures with the SM3 digest (GB/T 32918), using the default user id {@code
 * 1234567812345678} (GM/T 0009) and the DER encoding of {@code (r, s)}.
 *
 * <p>Keys are ordinary JCA {@link PrivateKey}/{@link PublicKey} objects on the curve {@code
 * sm2p256v1} (such as those from {@link #generateKeyPair} or read by {@code PemFiles}); any key
 * whose standard encoding names or spells out that curve is accepted. Signers and verifiers are
 * immutable and thread-safe: every call uses its own signature engine.
 */
public final class Sm2 {

  /** The algorithm name reported by SM2 signers and verifiers. */
  public static final String ALGORITHM = "SM2-SM3";

  /** The standard name of the SM2 curve. */
  public static final String CURVE = "sm2p256v1";

  private static final X9ECParameters SM2_CURVE = GMNamedCurves.getByName(CURVE);

  private Sm2() {}

  /**
   * A signer for {@code key}. Signatures are randomised with a fresh {@link SecureRandom}.
   *
   * @throws IllegalArgumentException if the key is not an SM2 private key
   */
  public static Signer signer(PrivateKey key) {
    Objects.requireNonNull(key, "key");
    ECPrivateKeyParameters params;
    try {
      AsymmetricKeyParameter p = PrivateKeyFactory.createKey(encoded(key));
      if (!(p instanceof ECPrivateKeyParameters)) {
        throw notSm2("private", key);
      }
      params = (ECPrivateKeyParameters) p;
    } catch (IOException | RuntimeException e) {
      throw notSm2("private", key, e);
    }
    requireSm2Curve(params, "private", key);
    return new Sm2Signer(params, new SecureRandom());
  }

  /**
   * A verifier for {@code key}.
   *
   * @throws IllegalArgumentException if the key is not an SM2 public key
   */
  public static Verifier verifier(PublicKey key) {
    Objects.requireNonNull(key, "key");
    ECPublicKeyParameters params;
    try {
      AsymmetricKeyParameter p = PublicKeyFactory.createKey(encoded(key));
      if (!(p instanceof ECPublicKeyParameters)) {
        throw notSm2("public", key);
      }
      params = (ECPublicKeyParameters) p;
    } catch (IOException | RuntimeException e) {
      throw notSm2("public", key, e);
    }
    requireSm2Curve(params, "public", key);
    return new Sm2Verifier(params);
  }

  /** Generates a key pair on {@code sm2p256v1}; the keys are BouncyCastle JCA key objects. */
  public static KeyPair generateKeyPair(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC", BouncyCastle.provider());
      gen.initialize(new ECGenParameterSpec(CURVE), random);
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("BouncyCastle cannot generate SM2 keys: " + e, e);
    }
  }

  /** Whether {@code key} is an EC key on the SM2 curve. */
  public static boolean isSm2Key(java.security.Key key) {
    try {
      AsymmetricKeyParameter p =
          key instanceof PrivateKey
              ? PrivateKeyFactory.createKey(encoded(key))
              : PublicKeyFactory.createKey(encoded(key));
      return p instanceof ECKeyParameters && onSm2Curve((ECKeyParameters) p);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] encoded(java.security.Key key) {
    byte[] enc = key.getEncoded();
    if (enc == null) {
      throw new IllegalArgumentException(
          "key " + key.getAlgorithm() + " has no standard encoding (is it a hardware key?)");
    }
    return enc;
  }

  private static boolean onSm2Curve(ECKeyParameters params) {
    ECDomainParameters d = params.getParameters();
    return d.getCurve().equals(SM2_CURVE.getCurve())
        && d.getG().equals(SM2_CURVE.getG())
        && d.getN().equals(SM2_CURVE.getN());
  }

  private static void requireSm2Curve(ECKeyParameters params, String kind, java.security.Key key) {
    if (!onSm2Curve(params)) {
      throw notSm2(kind, key);
    }
  }

  private static IllegalArgumentException notSm2(String kind, java.security.Key key) {
    return notSm2(kind, key, null);
  }

  private static IllegalArgumentException notSm2(
      String kind, java.security.Key key, Throwable cause) {
    return new IllegalArgumentException(
        "not an SM2 "
            + kind
            + " key: expected an EC key on curve "
            + CURVE
            + ", got a "
            + key.getAlgorithm()
            + " key"
            + (cause == null ? "" : " (" + cause.getMessage() + ")"),
        cause);
  }

  /**
   * Initialising BouncyCastle's SM2 engine for signing computes the public point (a scalar
   * multiplication as costly as the signature itself) and the ZA hash; after a signature the engine
   * resets to the state just after ZA, ready for the next message. So each thread keeps one
   * initialised engine per key, and a signature costs one multiplication, not two.
   */
  private static final class Sm2Signer implements Signer {
    private final ThreadLocal<SM2Signer> engines;

    Sm2Signer(ECPrivateKeyParameters key, SecureRandom random) {
      this.engines = ThreadLocal.withInitial(() -> {
        SM2Signer engine = new SM2Signer();
        engine.init(true, new ParametersWithRandom(key, random));
        return engine;
      });
    }

    @Override
    public String algorithm() {
      return ALGORITHM;
    }

    @Override
    public byte[] sign(byte[] message) {
      Objects.requireNonNull(message, "message");
      SM2Signer engine = engines.get();
      try {
        engine.update(message, 0, message.length);
        return engine.generateSignature();
      } catch (CryptoException | RuntimeException e) {
        // An engine that failed mid-signature is not trusted with the next message.
        engines.remove();
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException("SM2 signing failed: " + e.getMessage(), e);
      }
    }
  }

  private static final class Sm2Verifier implements Verifier {
    private final ECPublicKeyParameters key;

    Sm2Verifier(ECPublicKeyParameters key) {
      this.key = key;
    }

    @Override
    public String algorithm() {
      return ALGORITHM;
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
      Objects.requireNonNull(message, "message");
      if (signature == null) {
        return false;
      }
      try {
        SM2Signer engine = new SM2Signer();
        engine.init(false, key);
        engine.update(message, 0, message.length);
        return engine.verifySignature(signature);
      } catch (RuntimeException e) {
        return false;
      }
    }
  }
}
