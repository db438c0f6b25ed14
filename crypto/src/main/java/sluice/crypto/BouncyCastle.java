package sluice.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The BouncyCastle JCA provider used by Sluice, held as one instance and always passed
 * explicitly ({@code getInstance(name, BouncyCastle.provider())}). It is never added to the
 * global {@link java.security.Security} provider list, so Sluice does not depend on, or change,
 * the process-wide provider order.
 */
public final class BouncyCastle {

  private static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}

  /** The shared provider instance; thread-safe, never registered globally. */
  public static Provider provider() {
    return PROVIDER;
  }
}
