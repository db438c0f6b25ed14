package sluice.nodes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.nodes.run.FederationSetup;

/** {@code sluice config check}: a laid-out federation's files pass; each kind of mistake is named. */
class ConfigCommandTest {
  @TempDir static Path dir;
  static FederationSetup.Layout layout;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeAll
  static void layOut() throws Exception {
    layout = FederationSetup.create(dir.resolve("work"), FederationSetup.Options.defaults()
        .withDataProvinces(Set.of(Province.GUANGDONG)).withPersonsPerProvince(10));
  }

  int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  static Path config(String node) {
    return layout.nodeConfigs().get(NodeId.parse(node));
  }

  /** A copy of {@code node}'s file beside it with {@code from} replaced by {@code to}. */
  static Path edited(String node, String from, String to) throws Exception {
    String text = Files.readString(config(node));
    assertTrue(text.contains(from), text);
    Path copy = config(node).resolveSibling("edited-" + System.nanoTime() + ".yaml");
    Files.writeString(copy, text.replace(from, to));
    return copy;
  }

  @Test
  void theLaidOutFilesPass() {
    assertEquals(0, run("config", "check", config("prov-44").toString(), config("national").toString(),
        config("prov-44/dept-hrss").toString()), err.toString());
    String o = out.toString();
    assertTrue(o.contains("prov-44.yaml: OK, prov-44 (a provincial gateway) on 127.0.0.1:"), o);
    assertTrue(o.contains("OK, national (the national hub)"), o);
    assertTrue(o.contains("OK, prov-44/dept-hrss (a department node)") && o.contains("serving 3-44-002-001-000001"), o);
  }

  @Test
  void aMisspelledKeyIsNamed() throws Exception {
    Path bad = edited("prov-44", "listen:", "listne:");
    assertEquals(1, run("config", "check", bad.toString()));
    assertTrue(err.toString().contains(bad + ": unknown key \"listne\""), err.toString());
  }

  @Test
  void anotherNodesCredentialsAreRefused() throws Exception {
    Path bad = edited("prov-44", "pki/nodes/prov-44", "pki/nodes/prov-11");
    assertEquals(1, run("config", "check", bad.toString()));
    assertTrue(err.toString().contains("credentials: ") && err.toString().contains("holds the certificates of prov-11, not prov-44"),
        err.toString());
  }

  @Test
  void aMissingDataFileAndAMissingFederationFileAreEachNamed() throws Exception {
    Path bad = edited("prov-44/dept-hrss", "../federation.yaml", "../federation-typo.yaml");
    Files.writeString(bad, Files.readString(bad).replaceFirst("\\.\\./data/[^\\s]+\\.csv", "../data/gone.csv"));
    assertEquals(1, run("config", "check", bad.toString(), config("prov-44").toString()));
    String e = err.toString();
    assertTrue(e.contains(bad + ": federation: ") && e.contains("federation-typo.yaml"), e);
    assertTrue(e.contains(bad + ": data: 3-44-002-001-000001: ") && e.contains("gone.csv is not a readable file"), e);
    assertTrue(out.toString().contains("prov-44.yaml: OK"), "the good file is still reported: " + out);
  }
}
