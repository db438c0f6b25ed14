package sluice.gateway.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;

/**
 * Small secret key files (the federation's audit key, a log's Ed25519 checkpoint key): raw bytes,
 * readable by their owner only.
 */
public final class AuditKeyFile {
  /** The federation's audit (subject pseudonym) key, in each gateway's and each auditor's credentials. */
  public static final String SUBJECT_KEY = "audit-subject.key";

  private AuditKeyFile() {}

  /** Reads the key in {@code file}, writing a fresh one of {@code length} bytes first if there is none. */
  public static byte[] loadOrCreate(Path file, int length, SecureRandom random) throws IOException {
    if (!Files.exists(file)) {
      byte[] key = new byte[length];
      random.nextBytes(key);
      write(file, key);
    }
    return load(file, length);
  }

  public static byte[] load(Path file, int length) throws IOException {
    byte[] key = Files.readAllBytes(file);
    if (key.length != length) {
      throw new IOException(file + ": the key is " + length + " bytes, this file holds " + key.length);
    }
    return key;
  }

  public static void write(Path file, byte[] key) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, key);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the folder's own protection applies.
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The audit key in {@code file} as a pseudonym key. */
  public static SubjectPseudonyms pseudonyms(Path file) throws IOException {
    return new SubjectPseudonyms(new SecretKeySpec(load(file, SubjectPseudonyms.KEY_LENGTH), "HmacSM3"));
  }
}
