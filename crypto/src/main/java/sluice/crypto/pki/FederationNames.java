package sluice.crypto.pki;

import java.util.Arrays;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import sluice.crypto.NodeId;
import sluice.crypto.Province;

/** Distinguished names used in the federation PKI. */
final class FederationNames {

  static final String ORGANIZATION = "Sluice Federation";

  private FederationNames() {}

  /** {@code CN=<commonName>,O=Sluice Federation}. */
  static X500Principal withCommonName(String commonName) {
    // RFC 2253 string form: special characters in the common name are escaped first.
    return new X500Principal("CN=" + escape(commonName) + ",O=" + ORGANIZATION);
  }

  /** The subject of a node's certificates. */
  static X500Principal node(NodeId node) {
    return withCommonName(node.toString());
  }

  /** The subject of a province's intermediate CA, {@code CN=Sluice CA prov-CC,O=...}. */
  static X500Principal intermediate(Province province) {
    return withCommonName("Sluice CA " + province.gatewayId());
  }

  /** The province whose intermediate CA has subject {@code name}, if any. */
  static Optional<Province> provinceOfIntermediate(X500Principal name) {
    return Arrays.stream(Province.values())
        .filter(p -> intermediate(p).equals(name))
        .findFirst();
  }

  /** The same name as a BouncyCastle {@link X500Name}, with the same RDN order and encoding. */
  static X500Name toBc(X500Principal principal) {
    return X500Name.getInstance(principal.getEncoded());
  }

  private static String escape(String value) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (",+\"\\<>;=#".indexOf(c) >= 0 || (i == 0 && c == ' ')
          || (i == value.length() - 1 && c == ' ')) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
