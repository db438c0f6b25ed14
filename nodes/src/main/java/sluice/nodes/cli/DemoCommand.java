package sluice.nodes.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sluice.crypto.NodeId;
import sluice.gateway.Transport;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;

/**
 * {@code sluice demo}: lays out and starts a whole 1+32+N federation on loopback, asks sample
 * questions within one province and across provinces, and prints questions and answers.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Start the 1+32+N federation on loopback and show it answering.",
    description = {
      "Start the 1+32+N federation on 127.0.0.1 (every node its own mTLS gRPC server),",
      "run sample verifications within and across provinces, and print them."
    })
final class DemoCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--work", defaultValue = "work/demo", description = "Work folder, recreated on each run (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--serve", description = "Keep the federation running after the demo and write <work>/descriptor.yaml.")
  boolean serve;

  @Option(names = "--persons", defaultValue = "200", description = "Persons per province (default: ${DEFAULT-VALUE}).")
  int persons;

  @Option(names = "--base-port", defaultValue = "0", description = "First port; 0 picks free ports (default: ${DEFAULT-VALUE}).")
  int basePort;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    prepare(work);
    long t0 = System.nanoTime();
    FederationSetup.Layout layout =
        FederationSetup.create(
            work,
            FederationSetup.Options.defaults()
                .withPersonsPerProvince(persons)
                .withBasePort(basePort)
                .withCatalogue(DemoScenarios.GRANTS));
    long t1 = System.nanoTime();
    Transport transport = Transport.create(layout.revocations());
    LocalFederation federation = LocalFederation.start(layout, transport, n -> true);
    try {
      // Every gateway reports SERVING once it holds the hub's first catalogue snapshot.
      federation.awaitReady(java.time.Duration.ofSeconds(30));
    } catch (IOException | RuntimeException e) {
      federation.close();
      throw e;
    }
    long t2 = System.nanoTime();
    long departments = federation.running().keySet().stream().filter(NodeId::isDepartment).count();
    out.printf(
        "Sluice demo: 1 national hub + 32 provincial gateways + %d department nodes on %s,%n"
            + "each its own gRPC server with mutual TLS (federation root CA, 32 provincial CAs).%n"
            + "The hub publishes the catalogue (%d entries) and grants as SM2-signed snapshots; every%n"
            + "provincial gateway enforces them.%n"
            + "  work folder %s: PKI and %d synthetic resources laid out in %.1f s, nodes serving in %.1f s%n%n",
        departments,
        layout.addresses().get(NodeId.NATIONAL).getHostString(),
        layout.data().resources().size(),
        work,
        layout.data().resources().size(),
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9);
    try {
      DemoScenarios scenarios = new DemoScenarios(federation, out);
      scenarios.run();
      if (serve) {
        Path descriptor = Descriptor.write(layout, work.resolve("descriptor.yaml"));
        out.println();
        out.println("Serving. Federation descriptor: " + descriptor.toAbsolutePath());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      stop.countDown();
                      awaitQuietly(stopped);
                    }));
        stop.await();
        out.println("Stopping the federation.");
      }
    } finally {
      federation.close();
      transport.close();
      stopped.countDown();
    }
    return 0;
  }

  /** Empties the work folder, refusing to touch a folder that is not a Sluice work folder. */
  private static void prepare(Path work) throws IOException {
    if (!Files.exists(work)) {
      return;
    }
    boolean ours = Files.exists(work.resolve(FederationSetup.MARKER));
    try (Stream<Path> entries = Files.list(work)) {
      if (!ours && entries.findAny().isPresent()) {
        throw new IOException(
            work + " exists and is not a Sluice work folder (no " + FederationSetup.MARKER + "); choose another --work");
      }
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(work)) {
      walk.sorted(Comparator.reverseOrder()).forEach(all::add);
    }
    for (Path p : all) {
      Files.delete(p);
    }
  }

  /** Lets a shutdown hook wait (bounded) until the nodes have stopped cleanly. */
  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Duration deadline() {
    return Duration.ofSeconds(10);
  }
}
