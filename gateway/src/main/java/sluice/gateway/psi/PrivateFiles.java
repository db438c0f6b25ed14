package sluice.gateway.psi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Working directories only this process's user may read, for what a PSI party spills to disk. */
public final class PrivateFiles {
  private PrivateFiles() {}

  /** A new directory under {@code parent} (created if missing), owner-only where the file system has POSIX permissions. */
  public static Path directory(Path parent, String prefix) throws IOException {
    Files.createDirectories(parent);
    if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return Files.createTempDirectory(parent, prefix,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return Files.createTempDirectory(parent, prefix);
  }

  /** Deletes {@code dir} and all in it, as far as it can. */
  public static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // gone already, or left for the temporary directory's cleaner
    }
  }
}
