package sluice.crypto.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.OpenSsl;
import sluice.crypto.Sm2;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.TreeHash;

/** An SM2-signed audit checkpoint verifies with the OpenSSL 3 command line, as an outside auditor would. */
class Sm2NoteOpenSslTest {
  @Test
  void openSslVerifiesAnSm2SignedCheckpoint(@TempDir Path dir) throws Exception {
    assumeTrue(OpenSsl.installed(), "openssl not on PATH");
    KeyPair keys = Sm2.generateKeyPair(new java.security.SecureRandom());
    String origin = "sluice.audit/prov-44";
    Checkpoint c = new Checkpoint(origin, 1234, TreeHash.SM3.leaf("entry".getBytes(StandardCharsets.UTF_8)));
    SignedNote note = SignedNote.sign(c.text(), List.of(Sm2NoteKeys.signer(origin, keys.getPrivate(), keys.getPublic())));
    // What an auditor holds: the note as published, and the gateway's public key.
    SignedNote published = SignedNote.parse(note.format());
    Files.writeString(dir.resolve("pub.pem"), OpenSsl.pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    Files.writeString(dir.resolve("checkpoint.txt"), published.text());
    Files.write(dir.resolve("checkpoint.sig"), published.signatures().get(0).signature());
    assertEquals(0, OpenSsl.run(dir, "dgst", "-sm3", "-verify", "pub.pem", "-sigopt", OpenSsl.DEFAULT_SM2_ID,
        "-signature", "checkpoint.sig", "checkpoint.txt"));

    // A checkpoint whose size was changed does not verify.
    Files.writeString(dir.resolve("checkpoint.txt"), published.text().replace("\n1234\n", "\n1235\n"));
    assertNotEquals(0, OpenSsl.run(dir, "dgst", "-sm3", "-verify", "pub.pem", "-sigopt", OpenSsl.DEFAULT_SM2_ID,
        "-signature", "checkpoint.sig", "checkpoint.txt"));
  }
}
