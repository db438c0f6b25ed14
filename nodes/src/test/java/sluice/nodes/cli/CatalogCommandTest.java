package sluice.nodes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogCommandTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void aStewardRegistersDeprecatesAndReadsHistory() throws Exception {
    Path entry = Path.of("../docs/examples/catalogue-entry.yaml");
    String store = dir.resolve("catalog").toString();
    assertEquals(0, run("catalog", "validate", entry.toString()), err.toString());
    assertEquals(0, run("catalog", "register", entry.toString(), "--store", store), err.toString());
    assertEquals(1, run("catalog", "register", entry.toString(), "--store", store));
    assertTrue(err.toString().contains("already registered; update it instead"));
    assertEquals(0, run("catalog", "deprecate", "3-44-002-001-000001", "--sunset", "2027-06-30", "--store", store));
    assertEquals(0, run("catalog", "history", "3-44-002-001-000001", "--store", store));
    assertTrue(out.toString().contains("v1  ACTIVE") && out.toString().contains("v2  DEPRECATED"), out.toString());
    assertEquals(0, run("catalog", "list", "--provider", "prov-44", "--store", store));
    assertTrue(out.toString().contains("1 entry"));
    assertEquals(1, run("catalog", "show", "3-99-000-000-000000", "--store", store));
  }

  @Test
  void aConsumerRequestsAStewardApprovesThenRevokes() {
    String store = dir.resolve("catalog").toString();
    assertEquals(0, run("catalog", "register", "../docs/examples/catalogue-entry.yaml", "--store", store), err.toString());
    assertEquals(0, run("access", "request", "3-44-002-001-000001", "--as", "prov-11/dept-ca", "--fields", "enrolled",
        "--purposes", "SOCIAL_ASSISTANCE_ELIGIBILITY", "--legal-basis", "社会救助暂行办法 第十一条", "--days", "90",
        "--daily", "500", "--store", store), err.toString());
    java.util.regex.Matcher request = java.util.regex.Pattern.compile("filed (AR-[0-9a-f]+)").matcher(out.toString());
    assertTrue(request.find(), out.toString());
    assertEquals(0, run("access", "approve", request.group(1), "--steward", "张敏", "--store", store), err.toString());
    java.util.regex.Matcher grant = java.util.regex.Pattern.compile("grant (G-[0-9a-f]+) until").matcher(out.toString());
    assertTrue(grant.find(), out.toString());
    assertEquals(0, run("access", "revoke", grant.group(1), "--reason", "case closed", "--store", store), err.toString());
    assertEquals(0, run("access", "list", "--resource", "3-44", "--store", store));
    assertTrue(out.toString().contains("REVOKED") && out.toString().contains("(case closed)"), out.toString());
    assertEquals(1, run("access", "request", "3-44-002-001-000001", "--as", "prov-11/dept-ca", "--fields", "salary",
        "--purposes", "SOCIAL_ASSISTANCE_ELIGIBILITY", "--legal-basis", "x", "--store", store));
    assertTrue(err.toString().contains("has no field \"salary\""), err.toString());
  }

  @Test
  void validationPrintsEveryProblemWithItsPath() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        Files.readString(Path.of("../docs/examples/catalogue-entry.yaml"))
            .replace("semanticType: CN_NAME", "semanticType: IDCARD")
            .replace("resourceCode: 3-44-002-001-000001", "resourceCode: 44.hrss"));
    assertEquals(1, run("catalog", "validate", bad.toString()));
    assertTrue(err.toString().contains("2 problems"), err.toString());
    assertTrue(err.toString().contains("fields[1].semanticType: unknown value \"IDCARD\""), err.toString());
    assertTrue(err.toString().contains("resourceCode: \"44.hrss\" is not a resource code"), err.toString());
  }
}
