package sluice.nodes.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
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
import sluice.v1.CatalogueEntryView;
import sluice.v1.DeprecateResourceRequest;
import sluice.v1.GetResourceRequest;
import sluice.v1.ListResourcesRequest;
import sluice.v1.ListResourcesResponse;
import sluice.v1.RegisterResourceRequest;
import sluice.v1.ResourceHistoryRequest;
import sluice.v1.UpdateResourceRequest;

/**
 * {@code sluice catalog ...}: the data steward's catalogue commands, through the steward's
 * provincial gateway ({@code --work --as}) or on the hub's database ({@code --store}).
 */
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
      "  sluice catalog register entry.yaml --work work/demo --as prov-44/dept-hrss   (a steward, through prov-44)",
      "  sluice catalog list --provider prov-44 --work work/demo --as prov-11/dept-ca",
      "  sluice catalog show 3-44-002-001-000001 --version 1 --store work/catalog     (the hub operator, on its database)",
      "",
      "Exit codes: 0 done, 1 refused (every problem is printed with its path), 2 usage error."
    })
final class CatalogCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The entry a view carries, as the document it was registered from. */
  static CatalogueEntry entry(CatalogueEntryView view) {
    try {
      return CatalogueEntries.fromJson(view.getDocumentJson(), view.getResourceCode());
    } catch (InvalidEntryException e) {
      throw new IllegalStateException("the catalogue sent an entry that does not validate: " + e.getMessage(), e);
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
    @Mixin CatalogTarget target;

    @Parameters(paramLabel = "FILE", description = "The entry, in YAML.")
    Path file;

    @Override
    public Integer call() throws Exception {
      String document = Files.readString(file);
      return target.run(spec, (catalog, out) -> {
        CatalogueEntryView e = catalog.registerResource(RegisterResourceRequest.newBuilder().setDocument(document).build());
        out.println("registered " + e.getResourceCode() + " v" + e.getVersion());
      });
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Store a changed entry as the next version; its version: key says which version was edited.")
  static final class Update implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogTarget target;

    @Parameters(paramLabel = "FILE", description = "The changed entry, in YAML.")
    Path file;

    @Override
    public Integer call() throws Exception {
      CatalogueEntry edited;
      try {
        edited = CatalogueEntries.read(file);
      } catch (InvalidEntryException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 1;
      }
      String document = Files.readString(file);
      return target.run(spec, (catalog, out) -> {
        CatalogueEntryView e = catalog.updateResource(
            UpdateResourceRequest.newBuilder().setDocument(document).setBasedOnVersion(edited.version()).build());
        out.println("updated " + e.getResourceCode() + " to v" + e.getVersion());
      });
    }
  }

  @Command(name = "deprecate", mixinStandardHelpOptions = true,
      description = "Deprecate a resource: no new grants now, no calls after the sunset date.")
  static final class Deprecate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogTarget target;

    @Parameters(paramLabel = "CODE", description = "Resource code.")
    String code;

    @Option(names = "--sunset", required = true, description = "Last day calls are answered, YYYY-MM-DD.")
    LocalDate sunset;

    @Override
    public Integer call() throws Exception {
      return target.run(spec, (catalog, out) -> {
        CatalogueEntryView e = catalog.deprecateResource(
            DeprecateResourceRequest.newBuilder().setResourceCode(code).setSunsetOn(sunset.toString()).build());
        out.println("deprecated " + e.getResourceCode() + " as v" + e.getVersion() + ", sunset " + sunset);
      });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List current entries.")
  static final class ListEntries implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogTarget target;

    @Option(names = "--provider", defaultValue = "", description = "Only providers under this node id, e.g. prov-44.")
    String provider;

    @Option(names = "--status", description = "ACTIVE or DEPRECATED.")
    EntryStatus status;

    @Override
    public Integer call() throws Exception {
      return target.run(spec, (catalog, out) -> {
        int n = 0;
        String page = "";
        do {
          ListResourcesResponse r = catalog.listResources(ListResourcesRequest.newBuilder()
              .setProviderPrefix(provider).setStatus(status == null ? "" : status.name())
              .setPageSize(1000).setPageToken(page).build());
          for (CatalogueEntryView e : r.getResourcesList()) {
            out.printf("%s  v%-3d %-10s %-13s %-5s %-20s %s%n", e.getResourceCode(), e.getVersion(), e.getStatus(),
                e.getSharingType(), e.getLevel(), e.getProviderNodeId(), e.getName());
            n++;
          }
          page = r.getNextPageToken();
        } while (!page.isEmpty());
        out.println(n + " entr" + (n == 1 ? "y" : "ies"));
      });
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an entry (current or a given version).")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogTarget target;

    @Parameters(paramLabel = "CODE", description = "Resource code.")
    String code;

    @Option(names = "--version", defaultValue = "0", description = "A version number; the current one if absent.")
    int version;

    @Override
    public Integer call() throws Exception {
      return target.run(spec, (catalog, out) -> print(out, entry(catalog.getResource(
          GetResourceRequest.newBuilder().setResourceCode(code).setVersion(version).build()))));
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "Every version of an entry.")
  static final class History implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogTarget target;

    @Parameters(paramLabel = "CODE", description = "Resource code.")
    String code;

    @Override
    public Integer call() throws Exception {
      return target.run(spec, (catalog, out) -> {
        for (CatalogueEntryView v : catalog.resourceHistory(
            ResourceHistoryRequest.newBuilder().setResourceCode(code).build()).getResourcesList()) {
          CatalogueEntry e = entry(v);
          out.printf("v%d  %s  updated %s  %s%n", e.version(), e.status(), e.updatedOn(), e.name());
        }
      });
    }
  }
}
