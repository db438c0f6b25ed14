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
      "By role, with examples:",
      "  Operators",
      "    sluice demo                            the whole federation on loopback, answering",
      "    sluice demo --serve                    keep it running; writes work/demo/descriptor.yaml",
      "    sluice setup --work work               lay out PKI, data and one config per node",
      "    sluice config check work/nodes/*.yaml  check node configs before starting them",
      "    sluice node --config work/nodes/prov-44.yaml   run one node",
      "    sluice pki revoke ...                  revoke a node's certificates (see pki --help)",
      "  Department systems (consumers)",
      "    sluice verify --work work/demo --as prov-11/dept-ca --resource CODE --subject ID ...",
      "    sluice query  --work work/demo --as prov-11/dept-ca --resource CODE --fields a,b ...",
      "    sluice psi run --work work/demo --as prov-11/dept-ca --resource CODE --input set.csv ...",
      "    sluice aggregate --work work/demo --as prov-11/dept-ca --resources A,B,C --predicate ...",
      "  Data stewards",
      "    sluice catalog validate entry.yaml     check a catalogue entry, every problem at once",
      "    sluice catalog register entry.yaml --work work/demo --as prov-44/dept-hrss",
      "    sluice access request CODE --as prov-11/dept-ca ...   ask for a grant",
      "    sluice access approve REQUEST --as prov-44/dept-hrss --steward NAME",
      "  Auditors",
      "    sluice audit query --work work/demo --gateway prov-44 --decision DENY",
      "    sluice audit export ... / audit verify --bundle FILE --trust root.crt",
      "",
      "Each command's --help has its options and more examples.",
      "Exit codes: 0 success, 1 failure (the message says what failed), 2 usage error."
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
