package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.nodes.cli.Main;

/** {@code sluice demo} runs the whole federation, with the catalogue enforced, and says so. */
class DemoTest {
  @TempDir Path work;

  @Test
  void theDemoAnswersRefusesAndVerifiesEveryReceipt() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
            "demo", "--work", work.resolve("demo").toString(), "--persons", "60");
    String text = out.toString();
    assertEquals(0, code, err + text);
    assertTrue(text.contains("1 national hub + 32 provincial gateways + 160 department nodes"), text);
    assertTrue(text.contains("catalogue (160 entries)"), text);
    assertTrue(text.contains("path prov-11/dept-ca > prov-11 > national > prov-44 > prov-44/dept-hrss"), text);
    assertTrue(text.contains("A: NO_RECORD"), text);
    assertTrue(text.contains("refused, INVALID_ARGUMENT: prov-11 refused: resource 3-44-002-001-000001 has no field \"salary\""), text);
    assertTrue(text.contains("refused, PERMISSION_DENIED: prov-11 refused: prov-11/dept-ca has no grant for resource 3-44-004-001-000001"), text);
    assertTrue(text.contains("refused, NOT_FOUND"), text);
    assertTrue(text.contains("SM2_XMD:SM3_SSWU_RO_, intersection: "), text);
    assertTrue(text.contains("X25519_SHA256_DIRECT_HASH, cardinality: "), text);
    assertTrue(!text.contains("(DIFFERENT)"), text);
    assertTrue(text.contains("private membership (OPRF, SM2): ") && text.contains(" is insured, ")
        && text.contains(" is not insured; Guangdong's table of "), text);
    assertTrue(text.contains("(equal to the plain total of the three provinces that took part), "), text);
    assertTrue(text.contains("left out: prov-50/dept-hrss (join: PERMISSION_DENIED"), text);
    // The access cycle through CatalogService: filed, approved, answered, revoked, refused.
    assertTrue(text.matches("(?s).*prov-44/dept-tax \\(陈静\\) approves at prov-44: grant G-[0-9a-f]+.*"), text);
    assertTrue(text.matches("(?s).*A: (TRUE|FALSE|NO_RECORD)  \\(\\d+ ms after the approval\\).*"), text);
    assertTrue(text.matches("(?s).*revoked; the same question: refused, PERMISSION_DENIED: prov-(11|44) refused: grant G-[0-9a-f]+"
        + " .*was revoked.*\\(\\d+ ms after the revocation\\).*"), text);
    assertTrue(text.contains("receipts verified"), text);
    // Query: one record as two consumers read it under different grants.
    assertTrue(text.matches("(?s).*prov-44/dept-ca \\(grant asks \\{birth_date=DATE_TO_MONTH, id_number=PSEUDONYM\\}\\):"
        + "\\s+id_number\\s+[0-9a-f]{32}\\s+PSEUDONYM.*"), text);
    assertTrue(text.matches("(?s).*prov-11/dept-ca \\(grant asks \\{id_number=ID_KEEP_6_4\\}\\):"
        + "\\s+id_number\\s+44\\d{4}\\*{8}\\d{3}[\\dX]\\s+ID_KEEP_6_4.*"), text);
    assertTrue(text.contains("receipt signed by prov-44/dept-psb covers 4 fields; verified"), text);
    assertTrue(!text.contains("NOT trusted"), text);
    // The auditor's view: the migrant's accesses at prov-11, national and prov-44, and a witnessed checkpoint.
    assertTrue(text.matches("(?s).*prov-11 +#\\d+ +consumer +Verify +prov-11/dept-ca -> 3-44-002-001-000001.*"), text);
    assertTrue(text.matches("(?s).*prov-44 +#\\d+ +provider +Verify +prov-11/dept-ca -> 3-44-002-001-000001.*"), text);
    assertTrue(text.contains("— sluice.witness/national "), text);
    assertTrue(!text.contains("audit unavailable"), text);
  }
}
