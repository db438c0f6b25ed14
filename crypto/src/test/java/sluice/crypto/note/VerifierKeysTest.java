package sluice.crypto.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

class VerifierKeysTest {
  @Test
  void aVerifierKeyRoundTripsAndChecksItsKeyId() {
    for (int i = 0; i < 50; i++) { // enough keys that some base64 texts contain '+'
      Ed25519PrivateKeyParameters k = Ed25519NoteKeys.generate(new SecureRandom());
      String vkey = VerifierKeys.ed25519("sluice.audit/prov-44", k.generatePublicKey().getEncoded());
      NoteVerifier v = VerifierKeys.parse(vkey);
      assertEquals("sluice.audit/prov-44", v.key().name());
      SignedNote n = SignedNote.sign("sluice.audit/prov-44\n1\nAAAA\n", List.of(Ed25519NoteKeys.signer("sluice.audit/prov-44", k)));
      assertEquals(List.of(v.key()), n.verify(List.of(v)));
    }
    String good = VerifierKeys.ed25519("a", Ed25519NoteKeys.generate(new SecureRandom()).generatePublicKey().getEncoded());
    String wrongId = good.replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
    assertThrows(IllegalArgumentException.class, () -> VerifierKeys.parse(wrongId));
    assertThrows(IllegalArgumentException.class, () -> VerifierKeys.parse("no-plus-signs"));
  }
}
