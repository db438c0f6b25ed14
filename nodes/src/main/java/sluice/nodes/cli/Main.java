package sluice.nodes.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command line. Exit codes: 0 success, 1 failure, 2 usage error. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    version = "sluice 0.1.0",
    description = "Privacy-preserving data-sharing gateway for a 1+32+N federation.",
    subcommands = {
      DemoCommand.class,
      NodeCommand.class,
      ConfigCommand.class,
      VerifyCommand.class,
      QueryCommand.class,
      PsiCommand.class,
      AggregateCommand.class,
      CatalogCommand.class,
      AccessCommand.class,
      AuditCommand.class,
      SetupCommand.class,
      PkiCommand.class,
      DataCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  sluice demo                          run the whole federation and sample questions",
      "  sluice demo --serve                  keep it running; writes work/descriptor.yaml",
      "  sluice setup --work work             lay out PKI, data and node configs",
      "  sluice node --config work/nodes/prov-44.yaml   run one node",
      "  sluice config check work/nodes/prov-44.yaml     check a node's configuration before running it",
      "  sluice verify --work work/demo --as prov-11/dept-ca --resource ... (see verify --help)",
      "  sluice query --work work/demo --as prov-11/dept-ca --resource ... --fields a,b (see query --help)",
      "  sluice psi run --work work/demo --as prov-11/dept-ca --resource ... --input set.csv (see psi run --help)",
      "  sluice aggregate --work work/demo --as prov-11/dept-ca --resources a,b,c --predicate ... (see aggregate --help)",
      "  sluice catalog validate entry.yaml   check a catalogue entry, every problem at once",
      "  sluice access request CODE --as prov-11/dept-ca ...   ask for a grant (see access --help)",
      "",
      "Exit codes: 0 success, 1 failure, 2 usage error."
    })
public final class Main implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code. */
  public static int execute(String... args) {
    return execute(new CommandLine(new Main()), args);
  }

  /** Runs the command line writing to {@code out} and {@code err} (for tests and embedding). */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    return execute(cli, args);
  }

  private static int execute(CommandLine cli, String... args) {
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("sluice: " + cmd.getCommandName() + ": " + e.getMessage());
          return 1;
        });
    return cli.execute(args);
  }
}
