package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md (issue 9) documents the whole wire contract: every service and method, every
 * message and field and every enum value of the compiled protos has its line there, so a change
 * to the protos without regenerating it ({@code python3 docs/api_doc.py > docs/api.md}) fails.
 */
class ApiDocTest {
  @Test
  void everyServiceMethodMessageFieldAndEnumValueIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("../docs/api.md"));
    List<String> missing = new ArrayList<>();
    for (FileDescriptor f : List.of(sluice.v1.AggregateProto.getDescriptor(), sluice.v1.AuditProto.getDescriptor(),
        sluice.v1.CatalogProto.getDescriptor(), sluice.v1.CommonProto.getDescriptor(),
        sluice.v1.FederationProto.getDescriptor(), sluice.v1.PsiProto.getDescriptor(), sluice.v1.VerifyProto.getDescriptor())) {
      String section = section(doc, "## `" + f.getName() + "`");
      if (section == null) {
        missing.add(f.getName());
        continue;
      }
      for (ServiceDescriptor s : f.getServices()) {
        String block = section(section, "### service `" + s.getName() + "`");
        for (MethodDescriptor m : s.getMethods()) {
          if (block == null || !block.contains("| `" + m.getName() + "` |")) {
            missing.add(s.getFullName() + "." + m.getName());
          }
        }
      }
      for (Descriptor d : f.getMessageTypes()) {
        message(section, d, d.getName(), missing);
      }
      for (EnumDescriptor e : f.getEnumTypes()) {
        enumeration(section, e, e.getName(), missing);
      }
    }
    assertEquals(List.of(), missing, "docs/api.md lacks these; run python3 docs/api_doc.py > docs/api.md");
  }

  static void message(String section, Descriptor d, String name, List<String> missing) {
    String block = section(section, "### message `" + name + "`");
    for (FieldDescriptor field : d.getFields()) {
      if (block == null || !block.contains("| `" + field.getName() + "` |")) {
        missing.add(d.getFullName() + "." + field.getName());
      }
    }
    for (Descriptor nested : d.getNestedTypes()) {
      if (!nested.getOptions().getMapEntry()) {
        message(section, nested, name + "." + nested.getName(), missing);
      }
    }
    for (EnumDescriptor e : d.getEnumTypes()) {
      enumeration(section, e, name + "." + e.getName(), missing);
    }
  }

  static void enumeration(String section, EnumDescriptor e, String name, List<String> missing) {
    String block = section(section, "### enum `" + name + "`");
    e.getValues().forEach(v -> {
      if (block == null || !block.contains("| `" + v.getName() + "` |")) {
        missing.add(e.getFullName() + "." + v.getName());
      }
    });
  }

  /** The text from {@code heading} to the next heading of the same or a higher level, or null. */
  static String section(String text, String heading) {
    int at = text.indexOf(heading + "\n");
    if (at < 0) {
      return null;
    }
    String level = heading.substring(0, heading.indexOf(' ') + 1);
    int end = text.indexOf("\n" + level, at + heading.length());
    if (level.equals("### ")) {
      int h2 = text.indexOf("\n## ", at + heading.length());
      end = end < 0 ? h2 : (h2 < 0 ? end : Math.min(end, h2));
    }
    return end < 0 ? text.substring(at) : text.substring(at, end);
  }
}
