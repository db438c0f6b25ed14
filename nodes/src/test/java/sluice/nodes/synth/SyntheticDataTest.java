package sluice.nodes.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.catalog.FieldSpec;
import sluice.catalog.FieldType;
import sluice.catalog.ResourceDescriptor;
import sluice.catalog.ident.CitizenIdNumber;
import sluice.catalog.ident.UnifiedSocialCreditCode;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.nodes.data.CsvTables;
import sluice.nodes.data.CsvTables.CsvTable;

class SyntheticDataTest {

  @TempDir static Path shared;
  private static GeneratedFederation federation;
  private static Map<String, CsvTable> tables;

  @BeforeAll
  static void generateDefaults() throws IOException {
    federation = SyntheticData.builder().build().generate(shared.resolve("data"));
    tables = new HashMap<>();
    for (GeneratedResource r : federation.resources()) {
      tables.put(r.descriptor().code(), CsvTables.read(r.csvFile()));
    }
  }

  @Test
  void allProvincesAndResourcesInProviderOrder() {
    assertEquals(32 * 5, federation.resources().size());
    List<NodeId> providers =
        federation.resources().stream().map(r -> r.descriptor().provider()).toList();
    assertEquals(providers.stream().sorted().toList(), providers);
    for (Province p : Province.values()) {
      for (String department : List.of("psb", "hrss", "samr", "tax", "ca")) {
        String code = DemoResources.code(p, department);
        GeneratedResource r = federation.resource(code).orElseThrow(() -> new AssertionError(code));
        assertEquals("prov-" + p.codeString() + "/dept-" + department, r.descriptor().provider().toString());
        assertEquals(r.csvFile().getFileName().toString(), code + ".csv");
        assertTrue(r.rows() > 0, code);
      }
    }
    assertEquals(200, federation.resource("3-11-001-001-000001").orElseThrow().rows());
    assertEquals(60, federation.resource("3-66-003-001-000001").orElseThrow().rows());
  }

  @Test
  void tenDepartmentsPerProvinceAddFiveRegistersOfResidents(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    GeneratedFederation ten = SyntheticData.builder().personsPerProvince(60)
        .provinces(java.util.Set.of(sluice.crypto.Province.BEIJING, sluice.crypto.Province.XPCC))
        .departmentsPerProvince(10).build().generate(dir);
    assertEquals(2 * 10, ten.resources().size());
    java.util.Set<String> residents = new java.util.HashSet<>();
    for (List<String> row : CsvTables.read(dir.resolve("3-11-001-001-000001.csv")).rows()) {
      residents.add(row.get(0));
    }
    for (String dept : DemoResources.EXTRA_DEPARTMENTS) {
      GeneratedResource r = ten.resource(DemoResources.code(sluice.crypto.Province.BEIJING, dept)).orElseThrow();
      assertEquals(NodeId.parse("prov-11/dept-" + dept), r.descriptor().provider());
      CsvTable t = CsvTables.read(r.csvFile());
      assertTrue(t.rows().size() > 5 && t.rows().size() < 60, dept + ": " + t.rows().size());
      t.rows().forEach(row -> assertTrue(residents.contains(row.get(0)), "a register holds the province's residents"));
      DemoCatalogue.entryFor(r.descriptor()); // a valid catalogue entry
    }
    assertThrows(IllegalArgumentException.class, () -> SyntheticData.builder().departmentsPerProvince(11));
  }

  @Test
  void filesMatchTheirDescriptors() {
    for (GeneratedResource r : federation.resources()) {
      CsvTable t = tables.get(r.descriptor().code());
      assertEquals(r.descriptor().fields().stream().map(FieldSpec::name).toList(), t.header());
      assertEquals(r.rows(), t.rows().size());
      for (int f = 0; f < t.header().size(); f++) {
        FieldType type = r.descriptor().fields().get(f).type();
        for (List<String> row : t.rows()) {
          assertWellTyped(r.descriptor().code() + " " + t.header().get(f), type, row.get(f));
        }
      }
      int key = t.header().indexOf(r.descriptor().subjectKeyField());
      Set<String> keys = new HashSet<>();
      for (List<String> row : t.rows()) {
        assertTrue(keys.add(row.get(key)), "duplicate key in " + r.descriptor().code());
      }
    }
  }

  @Test
  void everyCitizenIdIsValidAndAgreesWithGenderAndBirthDate() {
    Set<String> allIds = new HashSet<>();
    for (GeneratedResource r : federation.resources()) {
      CsvTable t = tables.get(r.descriptor().code());
      for (String column : List.of("id_number", "legal_rep_id")) {
        int c = t.header().indexOf(column);
        if (c < 0) {
          continue;
        }
        for (List<String> row : t.rows()) {
          assertTrue(CitizenIdNumber.isValid(row.get(c)), row.get(c));
        }
      }
    }
    for (Province p : Province.values()) {
      CsvTable population = tables.get(DemoResources.code(p, "psb"));
      for (List<String> row : population.rows()) {
        CitizenIdNumber id = CitizenIdNumber.parse(row.get(0));
        assertEquals(id.isFemale() ? "F" : "M", row.get(2));
        assertEquals(id.birthDate().toString(), row.get(3));
        assertEquals(id.regionCode(), row.get(4));
        assertTrue(id.birthDate().getYear() >= 1940 && id.birthDate().getYear() <= 2006);
        String provincePrefix = p == Province.XPCC ? "6590" : p.codeString();
        assertTrue(id.regionCode().startsWith(provincePrefix), id.regionCode());
        String addressPrefix = p == Province.XPCC ? "新疆维吾尔自治区" : p.chineseName();
        assertTrue(row.get(5).startsWith(addressPrefix), row.get(5));
        assertTrue(allIds.add(row.get(0)), "ID issued twice: " + row.get(0));
      }
    }
    assertEquals(32 * 200, allIds.size());
  }

  @Test
  void everyUsccIsValidAndRegisteredInItsProvince() {
    for (Province p : Province.values()) {
      CsvTable registry = tables.get(DemoResources.code(p, "samr"));
      Set<String> registered = new HashSet<>();
      for (List<String> row : registry.rows()) {
        UnifiedSocialCreditCode code = UnifiedSocialCreditCode.parse(row.get(0));
        String provincePrefix = p == Province.XPCC ? "6590" : p.codeString();
        assertTrue(code.regionCode().startsWith(provincePrefix), row.get(0));
        assertEquals(code.regionCode(), row.get(6));
        registered.add(row.get(0));
      }
      CsvTable tax = tables.get(DemoResources.code(p, "tax"));
      for (List<String> row : tax.rows()) {
        assertTrue(registered.contains(row.get(0)), "taxpayer not in registry: " + row.get(0));
      }
      assertTrue(tax.rows().size() >= registry.rows().size() * 0.75, "tax covers most companies");
      CsvTable insurance = tables.get(DemoResources.code(p, "hrss"));
      for (List<String> row : insurance.rows()) {
        String employer = row.get(6);
        if (row.get(2).equals("URBAN_EMPLOYEE")) {
          assertTrue(registered.contains(employer), "employer not in registry: " + employer);
          long base = Long.parseLong(row.get(5));
          assertTrue(base >= 3000 && base <= 30000, row.toString());
        } else {
          assertEquals("URBAN_RURAL_RESIDENT", row.get(2));
          assertEquals("", employer);
        }
      }
    }
  }

  @Test
  void socialInsuranceIsHeldWhereSomeoneWorks() {
    Set<String> residents = new HashSet<>();
    for (Province p : Province.values()) {
      tables.get(DemoResources.code(p, "psb")).rows().forEach(r -> residents.add(r.get(0)));
    }
    int enrolled = 0;
    int fromElsewhere = 0;
    Set<String> insured = new HashSet<>();
    for (Province p : Province.values()) {
      Set<String> own = new HashSet<>();
      tables.get(DemoResources.code(p, "psb")).rows().forEach(r -> own.add(r.get(0)));
      for (List<String> row : tables.get(DemoResources.code(p, "hrss")).rows()) {
        assertTrue(residents.contains(row.get(0)), "insured person is nobody's resident");
        assertTrue(insured.add(row.get(0)), "insured in two provinces: " + row.get(0));
        enrolled++;
        if (!own.contains(row.get(0))) {
          fromElsewhere++;
        }
      }
    }
    double insuredShare = enrolled / (32.0 * 200);
    double migrantShare = (double) fromElsewhere / enrolled;
    assertTrue(insuredShare > 0.62 && insuredShare < 0.78, "insured share " + insuredShare);
    assertTrue(migrantShare > 0.15 && migrantShare < 0.25, "cross-province share " + migrantShare);
    // The demo's question: a Guangdong enrollee who is not a Guangdong resident, still enrolled.
    assertTrue(
        tables.get("3-44-002-001-000001").rows().stream()
            .anyMatch(r -> !r.get(0).startsWith("44") && r.get(3).equals("true")));
  }

  @Test
  void someLegalRepresentativesLiveInAnotherProvince() {
    int elsewhere = 0;
    int all = 0;
    for (Province p : Province.values()) {
      Set<String> own = new HashSet<>();
      tables.get(DemoResources.code(p, "psb")).rows().forEach(r -> own.add(r.get(0)));
      for (List<String> row : tables.get(DemoResources.code(p, "samr")).rows()) {
        all++;
        if (!own.contains(row.get(2))) {
          elsewhere++;
        }
      }
    }
    assertTrue(elsewhere > all * 0.05 && elsewhere < all * 0.3, elsewhere + " of " + all);
  }

  @Test
  void dibaoCoversAboutFivePercentOfLivingResidentsAtRealisticAmounts() {
    int recipients = 0;
    for (Province p : Province.values()) {
      Map<String, String> status = new HashMap<>();
      tables.get(DemoResources.code(p, "psb")).rows().forEach(r -> status.put(r.get(0), r.get(6)));
      for (List<String> row : tables.get(DemoResources.code(p, "ca")).rows()) {
        assertEquals("ACTIVE", status.get(row.get(0)), "dibao recipient must be a living resident");
        int household = Integer.parseInt(row.get(2));
        BigDecimal allowance = new BigDecimal(row.get(3));
        assertTrue(household >= 1 && household <= 6);
        assertTrue(allowance.compareTo(BigDecimal.valueOf(400L * household)) >= 0, row.toString());
        assertTrue(allowance.compareTo(BigDecimal.valueOf(1200L * household)) <= 0, row.toString());
        recipients++;
      }
    }
    double share = recipients / (32.0 * 200);
    assertTrue(share > 0.03 && share < 0.07, "dibao share " + share);
  }

  @Test
  void sampleKeysArePresentInTheirFiles() {
    for (GeneratedResource r : federation.resources()) {
      CsvTable t = tables.get(r.descriptor().code());
      int key = t.header().indexOf(r.descriptor().subjectKeyField());
      Set<String> keys = new HashSet<>();
      t.rows().forEach(row -> keys.add(row.get(key)));
      assertEquals(Math.min(20, r.rows()), r.sampleKeys().size(), r.descriptor().code());
      assertTrue(keys.containsAll(r.sampleKeys()), r.descriptor().code());
      assertEquals(r.sampleKeys().size(), new HashSet<>(r.sampleKeys()).size());
    }
  }

  @Test
  void sameSettingsGiveIdenticalBytesAndAnotherSeedDiffers(@TempDir Path dir) throws IOException {
    SyntheticData.Builder settings =
        SyntheticData.builder().seed(42).personsPerProvince(50).companiesPerProvince(10);
    GeneratedFederation a = settings.build().generate(dir.resolve("a"));
    GeneratedFederation b = settings.build().generate(dir.resolve("b"));
    GeneratedFederation c = SyntheticData.builder().seed(43).personsPerProvince(50)
        .companiesPerProvince(10).build().generate(dir.resolve("c"));
    assertEquals(a.resources().size(), b.resources().size());
    for (int i = 0; i < a.resources().size(); i++) {
      assertArrayEquals(
          Files.readAllBytes(a.resources().get(i).csvFile()),
          Files.readAllBytes(b.resources().get(i).csvFile()),
          a.resources().get(i).descriptor().code());
      assertEquals(a.resources().get(i).sampleKeys(), b.resources().get(i).sampleKeys());
    }
    assertNotEquals(
        Files.readString(a.resource("3-11-001-001-000001").orElseThrow().csvFile()),
        Files.readString(c.resource("3-11-001-001-000001").orElseThrow().csvFile()));
  }

  @Test
  void aProvincesResidentsDoNotDependOnTheOtherProvinces(@TempDir Path dir) throws IOException {
    GeneratedFederation alone =
        SyntheticData.builder().provinces(List.of(Province.BEIJING)).build().generate(dir);
    assertEquals(5, alone.resources().size());
    assertEquals(
        Files.readString(federation.resource("3-11-001-001-000001").orElseThrow().csvFile()),
        Files.readString(alone.resource("3-11-001-001-000001").orElseThrow().csvFile()));
    // Alone, nobody can work in another province.
    assertTrue(tables("3-11-002-001-000001", alone).rows().stream().allMatch(r -> r.get(0).startsWith("11")));
  }

  @Test
  void xpccPeopleLiveInCorpsCities(@TempDir Path dir) throws IOException {
    GeneratedFederation xpcc =
        SyntheticData.builder().provinces(EnumSet.of(Province.XPCC)).build().generate(dir);
    GeneratedResource population = xpcc.resource("3-66-001-001-000001").orElseThrow();
    assertEquals("prov-66/dept-psb", population.descriptor().provider().toString());
    Set<String> regions = new HashSet<>();
    tables("3-66-001-001-000001", xpcc).rows().forEach(r -> regions.add(r.get(4)));
    assertTrue(Set.of("659001", "659002", "659003", "659004").containsAll(regions), regions.toString());
  }

  @Test
  void twentyThousandPersonsInOneProvinceIsQuick(@TempDir Path dir) throws IOException {
    long start = System.nanoTime();
    GeneratedFederation big =
        SyntheticData.builder().provinces(List.of(Province.GUANGDONG)).personsPerProvince(20_000)
            .companiesPerProvince(2_000).build().generate(dir);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(20_000, big.resource("3-44-001-001-000001").orElseThrow().rows());
    assertTrue(seconds < 20, "took " + seconds + " s");
    List<String> ids = new ArrayList<>();
    tables("3-44-001-001-000001", big).rows().forEach(r -> ids.add(r.get(0)));
    assertEquals(ids.size(), new HashSet<>(ids).size());
  }

  @Test
  void builderRejectsNonsense() {
    assertEquals(
        "personsPerProvince must be 1 to 1000000, got 0",
        assertThrows(IllegalArgumentException.class, () -> SyntheticData.builder().personsPerProvince(0))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> SyntheticData.builder().companiesPerProvince(-1));
    assertThrows(IllegalArgumentException.class, () -> SyntheticData.builder().provinces(List.of()));
  }

  @Test
  void descriptorsAreTheContract() {
    ResourceDescriptor hrss = DemoResources.socialInsurance(Province.GUANGDONG);
    assertEquals("3-44-002-001-000001", hrss.code());
    assertEquals("Social insurance enrolment (Guangdong)", hrss.name());
    assertEquals("id_number", hrss.subjectKeyField());
    assertEquals(FieldType.INTEGER, hrss.field("monthly_contribution_base").orElseThrow().type());
    assertEquals("Population registry (Beijing)", DemoResources.population(Province.BEIJING).name());
    assertFalse(DemoResources.businessRegistry(Province.XPCC).field("id_number").isPresent());
  }

  private static CsvTable tables(String code, GeneratedFederation f) throws IOException {
    return CsvTables.read(f.resource(code).orElseThrow().csvFile());
  }

  private static void assertWellTyped(String what, FieldType type, String value) {
    if (value.isEmpty()) {
      assertTrue(
          what.endsWith("employer_uscc") || what.endsWith("monthly_contribution_base"),
          "unexpected absent value in " + what);
      return;
    }
    switch (type) {
      case DATE:
        LocalDate date = LocalDate.parse(value);
        assertFalse(date.isAfter(SyntheticData.AS_OF), what + " " + value);
        break;
      case BOOLEAN:
        assertTrue(value.equals("true") || value.equals("false"), what + " " + value);
        break;
      case INTEGER:
        Long.parseLong(value);
        break;
      case DECIMAL:
        assertEquals(2, new BigDecimal(value).scale(), what + " " + value);
        assertEquals(value, new BigDecimal(value).toPlainString(), what);
        break;
      default:
        break;
    }
  }
}
