package sluice.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import sluice.crypto.NodeId;

/** Nodes run as OS processes of their own, as operators run them: {@code sluice node --config FILE}. */
final class NodeProcess {
  private NodeProcess() {}

  /** Sends {@code signal} (STOP, CONT) to a process. */
  static void signal(String signal, Process p) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
    }
  }

  /**
   * Starts {@code node} from {@code config} in a new JVM and waits until it listens; its output
   * goes to {@code NODE.out} beside the configuration file.
   */
  static Process launch(Path config, NodeId node) throws IOException, InterruptedException {
    return launch(config, node, node.fileName());
  }

  /** As {@link #launch(Path, NodeId)}, with its output in {@code NAME.out} (for one of several instances). */
  static Process launch(Path config, NodeId node, String name) throws IOException, InterruptedException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p =
        new ProcessBuilder(
                java, "-Xmx256m", "-cp", classpath, "sluice.nodes.cli.Main", "node", "--config", config.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.contains("node " + node + " listening on")) {
        Path log = config.resolveSibling(name + ".out");
        Thread drain = new Thread(() -> {
          try (var w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            w.write(seen.toString());
            for (String l = out.readLine(); l != null; l = out.readLine()) {
              w.write(l);
              w.newLine();
              w.flush();
            }
          } catch (IOException e) {
            // the process ended and its output closed
          }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("node " + node + " did not start:\n" + seen);
  }
}
