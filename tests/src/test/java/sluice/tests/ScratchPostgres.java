package sluice.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import sluice.nodes.run.FreePorts;

/**
 * A PostgreSQL server of a test's own (initdb in a fresh folder, trust authentication, loopback
 * only, a free port), so that a test may stop, crash and restart it without touching the server
 * other tests share. Needs the server binaries ({@code .ci/postgres} installs them); run as root,
 * it runs them as the {@code postgres} user, as PostgreSQL requires.
 */
final class ScratchPostgres implements AutoCloseable {
  static final String USER = "sluice";

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;

  private ScratchPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** The newest installed server's binaries, if any. */
  static Optional<Path> binaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
    }
  }

  /**
   * Starts a server of the test's own; skips the test where the server binaries are missing,
   * unless CI (which names a server in {@code SLUICE_TEST_POSTGRES_URL}) runs it.
   */
  static ScratchPostgres startOrSkip() throws IOException, InterruptedException {
    Optional<Path> bin = binaries();
    if (System.getenv("SLUICE_TEST_POSTGRES_URL") == null) {
      org.junit.jupiter.api.Assumptions.assumeTrue(bin.isPresent(),
          "PostgreSQL server binaries are not installed (.ci/postgres installs them)");
    }
    return start(bin.orElseThrow(() -> new IllegalStateException(
        "CI names a PostgreSQL server but its binaries are not under /usr/lib/postgresql")));
  }

  /** Creates a cluster in a new temporary folder and starts it. */
  static ScratchPostgres start(Path bin) throws IOException, InterruptedException {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("sluice-pg-");
    int port = FreePorts.choose(java.net.InetAddress.getLoopbackAddress(), 1).get(0);
    ScratchPostgres pg = new ScratchPostgres(bin, dir, port, root);
    if (root) {
      pg.run(List.of("chown", "postgres", dir.toString()), false);
    }
    pg.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
        "--auth=trust", "-E", "UTF8", "--no-sync"), true);
    pg.begin();
    return pg;
  }

  /** JDBC URL of the server's {@code postgres} database; user {@link #USER}, any password. */
  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Stops the server as a crash would ({@code pg_ctl stop -m immediate}: no checkpoint, connections cut). */
  void crash() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
        "stop"), true);
  }

  /** Starts the server again on the same folder and port (recovering from a crash) and waits until it accepts. */
  void begin() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
        dir.resolve("server.log").toString(), "-w", "-t", "60",
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"), true);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      crash();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private void run(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asServerUser && asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      String log = Files.isReadable(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
      throw new IOException(String.join(" ", full) + " failed:\n" + out + log);
    }
  }
}
