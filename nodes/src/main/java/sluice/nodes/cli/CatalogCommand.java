package sluice.nodes.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.EntryStatus;
import sluice.catalog.entry.FieldEntry;
import sluice.catalog.entry.InvalidEntryException;
import sluice.catalog.store.CatalogConflictException;
import sluice.catalog.store.CatalogStore;
import sluice.catalog.store.Database;
import sluice.catalog.store.JdbcCatalogStore;

/** {@code sluice catalog ...}: the data steward's catalogue commands. */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = "Catalogue entries: validate, register, update, deprecate, list, show, history.",
    subcommands = {
      CatalogCommand.Validate.class,
      CatalogCommand.Register.class,
      CatalogCommand.Update.class,
      CatalogCommand.Deprecate.class,
      CatalogCommand.ListEntries.class,
      CatalogCommand.Show.class,
      CatalogCommand.History.class
    },
    footer = {
      "",
      "Examples:",
      "  sluice catalog validate entry.yaml",
      "  sluice catalog register entry.yaml --store work/catalog",
      "  sluice catalog list --provider prov-44 --store work/catalog",
      "  sluice catalog show 3-44-002-001-000001 --version 1 --store work/catalog",
      "",
      "Exit codes: 0 done, 1 refused (every problem is printed with its path), 2 usage error."
    })
final class CatalogCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the catalogue is kept. */
  static final class StoreOption {
    @Option(
        names = "--store",
        defaultValue = "work/catalog",
        description = "A folder for the embedded H2 catalogue, or a jdbc: URL (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--db-user", defaultValue = "sluice", description = "Database user for a jdbc: URL.")
    String user;

    @Option(names = "--db-password-env", defaultValue = "SLUICE_DB_PASSWORD",
        description = "Environment variable holding the database password (default: ${DEFAULT-VALUE}).")
    String passwordEnv;

    Database open() {
      if (store.startsWith("jdbc:")) {
        return Database.open(store, user, System.getenv().getOrDefault(passwordEnv, ""));
      }
      return Database.h2(Path.of(store));
    }

    CatalogStore catalog(Database db) {
      return new JdbcCatalogStore(db, Clock.systemUTC());
    }
  }

  /** A catalogue change that may be refused with a message for the steward. */
  interface Change {
    String apply(CatalogStore store) throws InvalidEntryException, CatalogConflictException, java.io.IOException;
  }

  /** Applies {@code change}, printing its outcome; a refusal prints every reason and exits 1. */
  static int change(CommandSpec spec, StoreOption store, Change change) throws java.io.IOException {
    try (Database db = store.open()) {
      spec.commandLine().getOut().println(change.apply(store.catalog(db)));
      return 0;
    } catch (InvalidEntryException | CatalogConflictException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 1;
    }
  }

  static void print(PrintWriter out, CatalogueEntry e) {
    out.printf("%s  v%d  %s  %s%n", e.resourceCode(), e.version(), e.status(), e.name());
    out.printf("  provider   %s (%s), node %s%n", e.provider().name(), e.provider().code(), e.provider().node());
    out.printf("  sharing    %s%s, level %s%s%n",
        e.sharingType(),
        e.sharingConditions().allowedPurposes().isEmpty() ? "" : ", purposes " + e.sharingConditions().allowedPurposes(),
        e.level(),
        e.sunsetOn() == null ? "" : ", sunset " + e.sunsetOn());
    for (FieldEntry f : e.fields()) {
      out.printf("  field      %-28s %-8s %-9s %-19s default %s%n",
          f.name(), f.type(), f.level(), f.semanticType(), f.defaultMask());
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check an entry file and print every problem.")
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The entry, in YAML.")
    Path file;

    @Override
    public Integer call() throws Exception {
      try {
        CatalogueEntry e = CatalogueEntries.read(file);
        spec.commandLine().getOut().println(file + ": valid (" + e.resourceCode() + ", level " + e.level() + ")");
        return 0;
      } catch (InvalidEntryException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "register", mixinStandardHelpOptions = true, description = "Register a new resource as version 1.")
  static final class Register implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Parameters(paramLabel = "FILE", description = "The entry, in YAML.")
    Path file;

    @Override
    public Integer call() throws Exception {
      return change(spec, store, s -> {
        CatalogueEntry e = s.register(CatalogueEntries.read(file));
        return "registered " + e.resourceCode() + " v" + e.version();
      });
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Store a changed entry as the next version; its version: key says which version was edited.")
  static final class Update implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Parameters(paramLabel = "FILE", description = "The changed entry, in YAML.")
    Path file;

    @Override
    public Integer call() throws Exception {
      return change(spec, store, s -> {
        CatalogueEntry edited = CatalogueEntries.read(file);
        CatalogueEntry e = s.update(edited, edited.version());
        return "updated " + e.resourceCode() + " to v" + e.version();
      });
    }
  }

  @Command(name = "deprecate", mixinStandardHelpOptions = true,
      description = "Deprecate a resource: no new grants now, no calls after the sunset date.")
  static final class Deprecate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Parameters(paramLabel = "CODE", description = "Resource code.")
    String code;

    @Option(names = "--sunset", required = true, description = "Last day calls are answered, YYYY-MM-DD.")
    LocalDate sunset;

    @Override
    public Integer call() throws Exception {
      return change(spec, store, s -> {
        CatalogueEntry e = s.deprecate(code, sunset);
        return "deprecated " + e.resourceCode() + " as v" + e.version() + ", sunset " + sunset;
      });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List current entries.")
  static final class ListEntries implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Option(names = "--provider", description = "Only providers under this node id, e.g. prov-44.")
    String provider;

    @Option(names = "--status", description = "ACTIVE or DEPRECATED.")
    EntryStatus status;

    @Override
    public Integer call() {
      try (Database db = store.open()) {
        CatalogStore s = store.catalog(db);
        List<CatalogueEntry> entries = s.list(new CatalogStore.Filter(provider, status));
        PrintWriter out = spec.commandLine().getOut();
        for (CatalogueEntry e : entries) {
          out.printf("%s  v%-3d %-10s %-13s %-5s %-20s %s%n", e.resourceCode(), e.version(), e.status(),
              e.sharingType(), e.level(), e.provider().node(), e.name());
        }
        out.println(entries.size() + " entr" + (entries.size() == 1 ? "y" : "ies"));
        return 0;
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an entry (current or a given version).")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Parameters(paramLabel = "CODE", description = "Resource code.")
    String code;

    @Option(names = "--version", description = "A version number; the current one if absent.")
    Integer version;

    @Override
    public Integer call() {
      try (Database db = store.open()) {
        CatalogStore s = store.catalog(db);
        var found = version == null ? s.get(code) : s.get(code, version);
        if (found.isEmpty()) {
          spec.commandLine().getErr().println("no entry " + code + (version == null ? "" : " v" + version));
          return 1;
        }
        print(spec.commandLine().getOut(), found.get());
        return 0;
      }
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "Every version of an entry.")
  static final class History implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Parameters(paramLabel = "CODE", description = "Resource code.")
    String code;

    @Override
    public Integer call() {
      try (Database db = store.open()) {
        CatalogStore s = store.catalog(db);
        List<CatalogueEntry> versions = s.history(code);
        if (versions.isEmpty()) {
          spec.commandLine().getErr().println("no entry " + code);
          return 1;
        }
        for (CatalogueEntry e : versions) {
          spec.commandLine().getOut().printf("v%d  %s  updated %s  %s%n", e.version(), e.status(), e.updatedOn(), e.name());
        }
        return 0;
      }
    }
  }
}
