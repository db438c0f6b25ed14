package sluice.crypto.pki;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one node's TLS key and chain, in both roles, straight from memory. Building a TLS
 * context from a key and chain otherwise puts them in a PKCS#12 key store first, whose password
 * protection costs a PBKDF2 derivation of 10,000 iterations per context, and every node builds a
 * context per peer it calls: measured as the largest start-up cost of a federation in one JVM.
 */
final class NodeKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "node";
  private final PrivateKey key;
  private final X509Certificate[] chain;

  NodeKeyManager(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = chain.toArray(new X509Certificate[0]);
  }

  /** The alias when the peer accepts this key's type (or does not say), else none. */
  private String alias(String keyType) {
    return keyType == null || keyType.equalsIgnoreCase(key.getAlgorithm()) ? ALIAS : null;
  }

  private String alias(String[] keyTypes) {
    if (keyTypes == null) {
      return ALIAS;
    }
    for (String t : keyTypes) {
      if (alias(t) != null) {
        return ALIAS;
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return alias(keyType) == null ? null : new String[] {ALIAS};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return alias(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return alias(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return alias(keyType) == null ? null : new String[] {ALIAS};
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(keyType);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
