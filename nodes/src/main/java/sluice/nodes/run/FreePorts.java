package sluice.nodes.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses free TCP ports for servers that start later, below the kernel's ephemeral range.
 *
 * <p>A port the kernel hands out for {@code bind(0)} comes from the same range it uses for the
 * local end of outgoing connections, so between choosing it and the server binding it any
 * connection on the machine (a database pool, an HTTP client, another test) may take it, and the
 * server's bind fails. Ports below that range are never handed out on their own; a port chosen at
 * random there and found free is taken only by another process doing the same.
 */
public final class FreePorts {
  /** The lowest port chosen. */
  static final int LOWEST = 20_000;
  private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private FreePorts() {}

  /**
   * Returns {@code count} distinct ports free on {@code host} now. Each is held open until all are
   * chosen. Where the ephemeral range leaves too little room below it, falls back to ports the
   * kernel chooses.
   */
  public static List<Integer> choose(InetAddress host, int count) throws IOException {
    int below = ephemeralStart();
    boolean random = below - LOWEST >= 4 * count + 1_000;
    List<ServerSocket> held = new ArrayList<>();
    List<Integer> out = new ArrayList<>();
    try {
      int attempts = 0;
      while (out.size() < count) {
        if (!random) {
          ServerSocket s = new ServerSocket(0, 1, host);
          held.add(s);
          out.add(s.getLocalPort());
          continue;
        }
        if (++attempts > 100 * count + 100) {
          throw new IOException("no free port found on " + host.getHostAddress() + " between " + LOWEST + " and "
              + below + " after " + attempts + " attempts");
        }
        int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
        if (out.contains(port)) {
          continue;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(false);
        try {
          s.bind(new InetSocketAddress(host, port), 1);
        } catch (IOException taken) {
          s.close();
          continue;
        }
        held.add(s);
        out.add(port);
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return out;
  }

  /** The first port of the kernel's ephemeral range (32768 where it cannot be read). */
  static int ephemeralStart() {
    // Read as a stream: files under /proc report a size of 0, which whole-file reads may trust.
    try (BufferedReader in = Files.newBufferedReader(RANGE)) {
      String line = in.readLine();
      return Integer.parseInt(line.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unreadable) {
      return 32_768;
    }
  }
}
