package sluice.nodes.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import sluice.catalog.ResourceDescriptor;
import sluice.crypto.Province;
import sluice.nodes.data.CsvTables;

/**
 * Deterministic synthetic data for the five {@link DemoResources demo resources} of each chosen
 * province, written as one CSV file per resource.
 *
 * <p>Every citizen ID number and unified social credit code is valid; each person's gender and
 * birth date agree with their ID number; ID numbers use real county-level region codes of their
 * province (the XPCC's people those of Corps cities, 6590xx) and are unique across the federation.
 * Social insurance is held where people work, so about a fifth of a province's enrollees live in
 * another generated province; some legal representatives of companies live in another province
 * too. Dates run up to {@link #AS_OF}.
 *
 * <p>The same settings give byte-identical files. A province's residents depend only on the seed,
 * the province and the number of persons, not on which other provinces are generated.
 *
 * <pre>{@code
 * GeneratedFederation data = SyntheticData.builder().seed(7).personsPerProvince(500).build()
 *     .generate(Path.of("data"));
 * }</pre>
 */
public final class SyntheticData {

  /** The date the synthetic data describes; no generated date is later. */
  public static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);

  public static final long DEFAULT_SEED = 20261128L;
  public static final int DEFAULT_PERSONS_PER_PROVINCE = 200;
  public static final int DEFAULT_COMPANIES_PER_PROVINCE = 60;
  public static final int MAX_PERSONS_PER_PROVINCE = 1_000_000;
  public static final int MAX_COMPANIES_PER_PROVINCE = 200_000;

  private final long seed;
  private final int personsPerProvince;
  private final int companiesPerProvince;
  private final List<Province> provinces;
  private final int departmentsPerProvince;

  private SyntheticData(Builder b) {
    this.departmentsPerProvince = b.departmentsPerProvince;
    this.seed = b.seed;
    this.personsPerProvince = b.personsPerProvince;
    this.companiesPerProvince = b.companiesPerProvince;
    this.provinces =
        b.provinces.stream().sorted(Comparator.comparingInt(Province::code)).toList();
  }

  /** Defaults: seed 20261128, 200 persons and 60 companies per province, all 32 provinces. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes {@code outDir/<resource code>.csv} for the five resources of every chosen province,
   * creating {@code outDir} if needed and replacing files of the same name.
   *
   * @throws IOException when a file cannot be written
   */
  public GeneratedFederation generate(Path outDir) throws IOException {
    Objects.requireNonNull(outDir, "outDir");
    Files.createDirectories(outDir);

    Map<Province, List<Person>> people = new LinkedHashMap<>();
    for (Province p : provinces) {
      people.put(p, People.generate(seed, p, personsPerProvince));
    }
    Map<Province, List<Company>> companies = new LinkedHashMap<>();
    Set<String> usedCodes = new HashSet<>();
    for (Province p : provinces) {
      companies.put(p, Companies.generate(seed, p, companiesPerProvince, people, usedCodes));
    }
    Map<Province, List<Enrollee>> enrollees = Enrollments.assign(seed, people);

    List<GeneratedResource> out = new ArrayList<>();
    for (Province p : provinces) {
      out.add(write(outDir, DemoResources.dibao(p), DibaoRows.of(seed, p, people.get(p))));
      out.add(
          write(
              outDir,
              DemoResources.socialInsurance(p),
              SocialInsuranceRows.of(seed, p, enrollees.get(p), companies.get(p))));
      out.add(write(outDir, DemoResources.population(p), PopulationRows.of(people.get(p))));
      out.add(
          write(outDir, DemoResources.businessRegistry(p), BusinessRegistryRows.of(companies.get(p))));
      out.add(
          write(outDir, DemoResources.taxpayerStatus(p), TaxpayerRows.of(seed, p, companies.get(p))));
      for (String extra : DemoResources.EXTRA_DEPARTMENTS.subList(0, departmentsPerProvince - 5)) {
        out.add(write(outDir, DemoResources.register(p, extra),
            RegisterRows.of(seed, DemoResources.EXTRA_DEPARTMENTS.indexOf(extra), people.get(p))));
      }
    }
    return new GeneratedFederation(out);
  }

  private static GeneratedResource write(
      Path outDir, ResourceDescriptor resource, List<List<String>> rows) throws IOException {
    Path file = outDir.resolve(resource.code() + ".csv");
    CsvTables.write(file, DemoResources.header(resource), rows);
    int keyColumn = DemoResources.header(resource).indexOf(resource.subjectKeyField());
    return new GeneratedResource(resource, file, rows.size(), sampleKeys(rows, keyColumn));
  }

  /** Up to 20 keys spread evenly over the rows, first row included. */
  private static List<String> sampleKeys(List<List<String>> rows, int keyColumn) {
    int n = Math.min(20, rows.size());
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(rows.get((int) ((long) i * rows.size() / n)).get(keyColumn));
    }
    return keys;
  }

  /** Settings for a {@link SyntheticData} generator. Not thread-safe. */
  public static final class Builder {
    private long seed = DEFAULT_SEED;
    private int personsPerProvince = DEFAULT_PERSONS_PER_PROVINCE;
    private int companiesPerProvince = DEFAULT_COMPANIES_PER_PROVINCE;
    private Set<Province> provinces = EnumSet.allOf(Province.class);
    private int departmentsPerProvince = 5;

    private Builder() {}

    /**
     * 5 (the demo's: psb, hrss, samr, tax, ca) or up to 10 departments per province, the rest each
     * keeping a register of residents ({@link DemoResources#EXTRA_DEPARTMENTS}).
     *
     * @throws IllegalArgumentException unless 5 to 10
     */
    public Builder departmentsPerProvince(int n) {
      if (n < 5 || n > 5 + DemoResources.EXTRA_DEPARTMENTS.size()) {
        throw new IllegalArgumentException("departmentsPerProvince must be 5 to " + (5 + DemoResources.EXTRA_DEPARTMENTS.size())
            + ", got " + n);
      }
      this.departmentsPerProvince = n;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @throws IllegalArgumentException unless 1 to {@value SyntheticData#MAX_PERSONS_PER_PROVINCE}
     */
    public Builder personsPerProvince(int n) {
      this.personsPerProvince = inRange("personsPerProvince", n, MAX_PERSONS_PER_PROVINCE);
      return this;
    }

    /**
     * @throws IllegalArgumentException unless 1 to {@value SyntheticData#MAX_COMPANIES_PER_PROVINCE}
     */
    public Builder companiesPerProvince(int n) {
      this.companiesPerProvince = inRange("companiesPerProvince", n, MAX_COMPANIES_PER_PROVINCE);
      return this;
    }

    /**
     * The provinces whose departments get data; every other setting applies to each.
     *
     * @throws IllegalArgumentException when {@code provinces} is empty
     */
    public Builder provinces(Collection<Province> provinces) {
      Objects.requireNonNull(provinces, "provinces");
      if (provinces.isEmpty()) {
        throw new IllegalArgumentException("provinces must name at least one province");
      }
      this.provinces = EnumSet.copyOf(provinces);
      return this;
    }

    public SyntheticData build() {
      return new SyntheticData(this);
    }

    private static int inRange(String name, int n, int max) {
      if (n < 1 || n > max) {
        throw new IllegalArgumentException(name + " must be 1 to " + max + ", got " + n);
      }
      return n;
    }
  }
}
