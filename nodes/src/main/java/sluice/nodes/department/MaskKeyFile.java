package sluice.nodes.department;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import sluice.catalog.mask.MaskKeys;
import sluice.crypto.NodeId;

/**
 * A department's masking master key: 32 random bytes in {@value #NAME} beside the node's other
 * credentials, readable by its owner only. Every consumer's masking keys derive from it.
 */
public final class MaskKeyFile {
  public static final String NAME = "mask-master.key";
  private static final int LENGTH = 32;

  private MaskKeyFile() {}

  /** Writes a fresh key into {@code credentialsDir} unless one is there. */
  public static void create(Path credentialsDir, SecureRandom random) throws IOException {
    Path file = credentialsDir.resolve(NAME);
    if (Files.exists(file)) {
      return;
    }
    byte[] key = new byte[LENGTH];
    random.nextBytes(key);
    Files.write(file, key);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the folder's own protection applies.
    }
  }

  /** The node's masking keys, when its credentials hold a key. */
  public static Optional<MaskKeys> load(Path credentialsDir, NodeId node) throws IOException {
    Path file = credentialsDir.resolve(NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    byte[] key = Files.readAllBytes(file);
    if (key.length != LENGTH) {
      throw new IOException(file + ": a masking key is " + LENGTH + " bytes, this one " + key.length);
    }
    return Optional.of(new MaskKeys(new SecretKeySpec(key, "HKDF"), node + "#1"));
  }
}
