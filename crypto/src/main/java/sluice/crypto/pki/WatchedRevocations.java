package sluice.crypto.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * A revocation list file, looked at again at most once per interval and read again when its
 * modification time or size changed. A file that cannot be read or parsed leaves the last good
 * list in force (revocations are never dropped because a copy was half written) and is reported
 * once per change; a missing file means nothing is revoked. Thread-safe.
 */
final class WatchedRevocations implements Revocations {
  private static final System.Logger LOG = System.getLogger(WatchedRevocations.class.getName());

  private final Path file;
  private final long intervalNanos;
  private volatile RevocationList current = RevocationList.empty();
  private volatile long checkedAt;
  private boolean checked;
  private Object seen;

  WatchedRevocations(Path file, Duration interval) {
    this.file = file;
    this.intervalNanos = interval.toNanos();
    refresh();
  }

  @Override
  public RevocationList current() {
    if (System.nanoTime() - checkedAt > intervalNanos) {
      refresh();
    }
    return current;
  }

  private synchronized void refresh() {
    long now = System.nanoTime();
    if (checked && now - checkedAt <= intervalNanos) {
      return;
    }
    checked = true;
    checkedAt = now;
    Object stamp;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      stamp = a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
    } catch (NoSuchFileException e) {
      stamp = "absent";
    } catch (IOException e) {
      stamp = "unreadable: " + e.getMessage();
    }
    if (stamp.equals(seen)) {
      return;
    }
    seen = stamp;
    if (stamp.equals("absent")) {
      current = RevocationList.empty();
      return;
    }
    try {
      current = RevocationList.read(file);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "revocation list " + file + " not taken (the last one read stays in force): "
          + e.getMessage());
    }
  }
}
