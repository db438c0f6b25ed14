package sluice.nodes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sluice --help}: every command, one line each, then examples by role and the exit codes. */
class HelpTest {
  @Test
  void helpListsEveryCommandAndEachRolesExamples() {
    StringWriter out = new StringWriter();
    assertEquals(0, Main.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--help"));
    String help = out.toString();
    for (String command : List.of("demo", "node", "config", "verify", "query", "psi", "aggregate", "catalog", "access",
        "audit", "setup", "pki", "data")) {
      assertTrue(help.contains("\n  " + command + " "), "lists " + command + ":\n" + help);
    }
    for (String role : List.of("Operators", "Department systems", "Data stewards", "Auditors")) {
      assertTrue(help.contains("  " + role), "examples for " + role);
    }
    assertTrue(help.contains("Exit codes: 0 success, 1 failure"), help);
    // Commands with long descriptions are listed by a one-line header, not their first line cut off.
    assertTrue(help.contains("demo       Start the 1+32+N federation on loopback and show it answering."), help);
  }
}
