package sluice.nodes.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sluice.nodes.run.FederationSetup;

/** {@code sluice setup}: lays out PKI, data, directory and node configs in a work folder. */
@Command(
    name = "setup",
    mixinStandardHelpOptions = true,
    description = "Lay out a loopback federation: PKI, synthetic data, federation.yaml, node configs.")
final class SetupCommand implements Callable<Integer> {

  @Option(names = "--work", defaultValue = "work", description = "Work folder (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--persons", defaultValue = "200", description = "Persons per province (default: ${DEFAULT-VALUE}).")
  int persons;

  @Option(names = "--base-port", defaultValue = "0", description = "First port; 0 picks free ports (default: ${DEFAULT-VALUE}).")
  int basePort;

  @Override
  public Integer call() throws Exception {
    FederationSetup.Layout layout =
        FederationSetup.create(
            work,
            FederationSetup.Options.defaults().withPersonsPerProvince(persons).withBasePort(basePort));
    System.out.println(
        "sluice: laid out " + layout.nodeConfigs().size() + " nodes in " + work + " (directory "
            + layout.federationFile() + ")");
    return 0;
  }
}
