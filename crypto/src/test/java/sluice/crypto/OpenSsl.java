package sluice.crypto;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/** The OpenSSL 3 command line, for cross-checks in tests (skipped where it is not installed). */
public final class OpenSsl {
  /** The SM2 distinguishing ID of GB/T 32918 (and Sluice's signers) as OpenSSL takes it. */
  public static final String DEFAULT_SM2_ID = "distid:1234567812345678";

  private OpenSsl() {}

  /** Runs {@code openssl args...} in {@code dir}; returns its exit code (output in openssl.log). */
  public static int run(Path dir, String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl timed out");
    return p.exitValue();
  }

  public static boolean installed() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, "openssl"))) {
        return true;
      }
    }
    return false;
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
