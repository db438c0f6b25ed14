package sluice.nodes.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sluice.crypto.pki.NodeCredentials;
import sluice.nodes.config.ConfigException;
import sluice.nodes.config.FederationFile;
import sluice.nodes.config.NodeConfig;
import sluice.nodes.run.NodeLauncher;

/** {@code sluice config check FILE...}: checks node configuration files without starting anything. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Check node configuration files.",
    subcommands = {ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Check node configuration files as `sluice node` would read them, and what they name:",
        "every key (a bad one is named), the credentials folder (its certificates load, are for",
        "this node and are valid today), the federation file (it parses and lists this node),",
        "a department's data files. Databases (catalogue, audit index, a department's jdbc: tables)",
        "are not contacted."
      },
      footer = {"", "Example:", "  sluice config check work/nodes/prov-44.yaml work/nodes/national.yaml",
          "", "Exit codes: 0 every file is fine, 1 a problem was found (each is printed), 2 usage error."})
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Node configuration files (YAML).")
    List<Path> files;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int bad = 0;
      for (Path file : files) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String summary = check(file, problems, notes);
        notes.forEach(n -> out.println(file + ": note: " + n));
        if (problems.isEmpty()) {
          out.println(file + ": OK, " + summary);
        } else {
          bad++;
          problems.forEach(p -> err.println(file + ": " + p));
        }
      }
      out.flush();
      err.flush();
      return bad == 0 ? 0 : 1;
    }

    /** A configuration error's message without the file name it starts with (it is printed before). */
    private static String withoutFile(Path file, ConfigException e) {
      String m = e.getMessage();
      return m.startsWith(file + ": ") ? m.substring(file.toString().length() + 2) : m;
    }

    /**
     * Checks one file, adding what is wrong to {@code problems} and what is worth knowing to
     * {@code notes}; returns a line about the node.
     */
    static String check(Path file, List<String> problems, List<String> notes) {
      NodeConfig.Resolved c;
      try {
        c = NodeConfig.load(file);
      } catch (ConfigException e) {
        problems.add(withoutFile(file, e));
        return "";
      }
      try {
        NodeCredentials creds = NodeLauncher.credentials(c);
        for (X509Certificate cert : List.of(creds.tlsCertificate(), creds.signingCertificate())) {
          try {
            cert.checkValidity();
          } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            problems.add("credentials: the certificate " + cert.getSubjectX500Principal() + " is not valid today (valid "
                + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + ")");
          }
        }
      } catch (ConfigException e) {
        problems.add(withoutFile(file, e));
      }
      try {
        FederationFile.Directory d = FederationFile.load(c.federation());
        NodeLauncher.unlisted(c, d).ifPresent(problems::add);
      } catch (ConfigException e) {
        problems.add("federation: " + e.getMessage());
      }
      for (Map.Entry<String, Path> data : c.data().entrySet()) {
        if (!Files.isReadable(data.getValue())) {
          problems.add("data: " + data.getKey() + ": " + data.getValue() + " is not a readable file");
        }
      }
      c.revocations().filter(r -> !Files.exists(r)).ifPresent(r -> notes.add("revocations: " + r
          + " does not exist (yet): until it does, no certificate counts as revoked"));
      String role = c.id().isHub() ? "the national hub" : c.id().isProvince() ? "a provincial gateway" : "a department node";
      StringBuilder s = new StringBuilder(c.id() + (c.instance().isEmpty() ? "" : " instance " + c.instance()) + " ("
          + role + ") on " + c.listen().getHostString() + ":" + c.listen().getPort());
      if (c.catalogDatabase() != null) {
        s.append(", catalogue in ").append(c.catalogDatabase().startsWith("jdbc:") ? c.catalogDatabase().split("\\?")[0] : c.catalogDatabase());
      }
      if (c.enforce()) {
        s.append(", enforcing the hub's catalogue");
      }
      if (c.audit() != null) {
        s.append(", audit log in ").append(c.audit());
      }
      c.auditIndex().ifPresent(u -> s.append(", audit index in ").append(u.split("\\?")[0]));
      if (!c.data().isEmpty()) {
        s.append(", serving ").append(String.join(", ", c.data().keySet()));
      }
      c.jdbc().forEach((code, j) -> s.append(", serving ").append(code).append(" from table ").append(j.table())
          .append(" at ").append(j.url().split("\\?")[0]));
      return s.toString();
    }
  }
}
