package sluice.nodes.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sluice.nodes.synth.GeneratedFederation;
import sluice.nodes.synth.SyntheticData;

/** {@code sluice data generate}: synthetic department data with valid check digits. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Synthetic department data.",
    subcommands = DataCommand.Generate.class)
final class DataCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = "Write population, social insurance, business, tax and dibao CSVs for every province.")
  static final class Generate implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "data", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--persons", defaultValue = "200", description = "Persons per province (default: ${DEFAULT-VALUE}).")
    int persons;

    @Option(names = "--companies", defaultValue = "60", description = "Companies per province (default: ${DEFAULT-VALUE}).")
    int companies;

    @Option(names = "--seed", defaultValue = "20261128", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      GeneratedFederation f =
          SyntheticData.builder()
              .seed(seed)
              .personsPerProvince(persons)
              .companiesPerProvince(companies)
              .build()
              .generate(out);
      System.out.println("sluice: wrote " + f.resources().size() + " resources to " + out);
      return 0;
    }
  }
}
