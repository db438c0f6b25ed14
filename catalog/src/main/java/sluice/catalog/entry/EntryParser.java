package sluice.catalog.entry;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import sluice.catalog.FieldType;
import sluice.catalog.ident.UnifiedSocialCreditCode;
import sluice.crypto.NodeId;

/**
 * Reads a catalogue entry from its tree form (YAML or JSON) and checks every rule in one pass,
 * collecting every problem with its path instead of stopping at the first. Not thread-safe: one
 * parser per entry.
 */
final class EntryParser {
  private static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern FIELD_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
  private static final Pattern PURPOSE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");
  private static final int MAX_TEXT = 500;

  private static final Set<String> ENTRY_KEYS =
      Set.of(
          "resourceCode", "name", "category", "provider", "summary", "format", "sharing",
          "legalBasis", "openType", "updateCycle", "publishedOn", "updatedOn", "subjectKey",
          "version", "status", "sunsetOn", "steward", "fields");
  private static final Set<String> PROVIDER_KEYS = Set.of("name", "code", "node");
  private static final Set<String> SHARING_KEYS =
      Set.of("type", "allowedPurposes", "allowedConsumerKinds", "needsApproval", "rowCap");
  private static final Set<String> FIELD_KEYS =
      Set.of(
          "name", "code", "type", "length", "description", "level", "personalInfo",
          "identifierRole", "semanticType", "defaultMask", "allowedMasks");

  private final List<Problem> problems = new ArrayList<>();

  List<Problem> problems() {
    return problems;
  }

  /** The entry, or null when there were problems (see {@link #problems()}). */
  CatalogueEntry parse(JsonNode root) {
    if (root == null || !root.isObject()) {
      problem("(entry)", "expected a mapping of keys to values");
      return null;
    }
    onlyKeys(root, "", ENTRY_KEYS);
    String code = text(root, "resourceCode", "", true);
    if (code != null && !ResourceCodes.isValid(code)) {
      problem(
          "resourceCode",
          quote(code) + " is not a resource code (类-项-目-细目-顺序码, e.g. " + ResourceCodes.EXAMPLE + ")");
    }
    String name = text(root, "name", "", true);
    String category = text(root, "category", "", true);
    Provider provider = provider(root.get("provider"));
    String summary = text(root, "summary", "", true);
    ResourceFormat format = enumValue(root, "format", "", ResourceFormat.class, true);
    JsonNode sharingNode = root.get("sharing");
    SharingType sharingType = null;
    SharingConditions conditions = SharingConditions.NONE;
    if (sharingNode == null) {
      problem("sharing", "required (type: UNCONDITIONAL, CONDITIONAL or NOT_SHARED, and conditions)");
    } else if (!sharingNode.isObject()) {
      problem("sharing", "expected a mapping");
    } else {
      onlyKeys(sharingNode, "sharing.", SHARING_KEYS);
      sharingType = enumValue(sharingNode, "type", "sharing.", SharingType.class, true);
      conditions = conditions(sharingNode, sharingType);
    }
    String legalBasis = text(root, "legalBasis", "", false);
    if (legalBasis == null && sharingType != null && sharingType != SharingType.UNCONDITIONAL) {
      problem("legalBasis", "required for a " + sharingType + " resource: cite the law or regulation");
    }
    OpenType openType = enumValue(root, "openType", "", OpenType.class, true);
    UpdateCycle updateCycle = enumValue(root, "updateCycle", "", UpdateCycle.class, true);
    LocalDate publishedOn = date(root, "publishedOn", true);
    LocalDate updatedOn = date(root, "updatedOn", true);
    if (publishedOn != null && updatedOn != null && updatedOn.isBefore(publishedOn)) {
      problem("updatedOn", updatedOn + " is before publishedOn " + publishedOn);
    }
    String subjectKey = text(root, "subjectKey", "", true);
    Integer version = integer(root, "version", "", true);
    if (version != null && version < 1) {
      problem("version", "must be 1 or more, got " + version);
    }
    EntryStatus status = enumValue(root, "status", "", EntryStatus.class, true);
    LocalDate sunsetOn = date(root, "sunsetOn", false);
    if (status == EntryStatus.DEPRECATED && sunsetOn == null) {
      problem("sunsetOn", "required for a DEPRECATED resource: the date after which calls are refused");
    }
    String steward = text(root, "steward", "", true);
    List<FieldEntry> fields = fields(root.get("fields"));
    if (subjectKey != null && fields != null && fields.stream().noneMatch(f -> subjectKey.equals(f.name()))) {
      problem("subjectKey", quote(subjectKey) + " is not a field of this resource");
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new CatalogueEntry(
        code, name, category, provider, summary, format, sharingType, conditions, legalBasis,
        openType, updateCycle, publishedOn, updatedOn, subjectKey, version, status, sunsetOn,
        steward, fields);
  }

  private Provider provider(JsonNode node) {
    if (node == null) {
      problem("provider", "required (name, code, node)");
      return null;
    }
    if (!node.isObject()) {
      problem("provider", "expected a mapping with name, code and node");
      return null;
    }
    onlyKeys(node, "provider.", PROVIDER_KEYS);
    String name = text(node, "name", "provider.", true);
    String code = text(node, "code", "provider.", true);
    if (code != null) {
      try {
        UnifiedSocialCreditCode.validate(code);
      } catch (IllegalArgumentException e) {
        problem("provider.code", e.getMessage());
      }
    }
    String nodeText = text(node, "node", "provider.", true);
    NodeId nodeId = null;
    if (nodeText != null) {
      try {
        nodeId = NodeId.parse(nodeText);
        if (!nodeId.isDepartment()) {
          problem("provider.node", nodeId + " is not a department node (prov-CC/dept-NAME)");
        }
      } catch (IllegalArgumentException e) {
        problem("provider.node", e.getMessage());
      }
    }
    return new Provider(name, code, nodeId);
  }

  private SharingConditions conditions(JsonNode node, SharingType type) {
    List<String> purposes = new ArrayList<>();
    JsonNode list = node.get("allowedPurposes");
    if (list != null) {
      if (!list.isArray()) {
        problem("sharing.allowedPurposes", "expected a list of purpose codes");
      } else {
        for (int i = 0; i < list.size(); i++) {
          JsonNode p = list.get(i);
          String path = "sharing.allowedPurposes[" + i + "]";
          if (!p.isTextual() || !PURPOSE.matcher(p.asText()).matches()) {
            problem(path, quote(p.asText()) + " is not a purpose code (upper-case letters, digits and _)");
          } else if (purposes.contains(p.asText())) {
            problem(path, quote(p.asText()) + " is listed twice");
          } else {
            purposes.add(p.asText());
          }
        }
      }
    }
    List<ConsumerKind> kinds = enumList(node, "allowedConsumerKinds", "sharing.", ConsumerKind.class);
    boolean needsApproval = bool(node, "needsApproval", "sharing.", type == SharingType.CONDITIONAL);
    Integer rowCap = integer(node, "rowCap", "sharing.", false);
    if (rowCap != null && rowCap < 0) {
      problem("sharing.rowCap", "must be 0 (no cap) or more, got " + rowCap);
    }
    if (type == SharingType.CONDITIONAL) {
      if (purposes.isEmpty() && list == null) {
        problem("sharing.allowedPurposes", "a CONDITIONAL resource must list the purposes it may be used for");
      }
      if (kinds.isEmpty() && node.get("allowedConsumerKinds") == null) {
        problem("sharing.allowedConsumerKinds", "a CONDITIONAL resource must list who it may be shared with");
      }
    } else if (type != null && (list != null || node.get("allowedConsumerKinds") != null || rowCap != null)) {
      problem("sharing", "conditions apply only to CONDITIONAL resources, this one is " + type);
    }
    return new SharingConditions(purposes, kinds, needsApproval, rowCap == null ? 0 : rowCap);
  }

  private List<FieldEntry> fields(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      problem("fields", node == null || node.isArray() ? "at least one field is required" : "expected a list of fields");
      return null;
    }
    List<FieldEntry> out = new ArrayList<>();
    Map<String, Integer> byName = new HashMap<>();
    Map<String, Integer> byCode = new HashMap<>();
    for (int i = 0; i < node.size(); i++) {
      String at = "fields[" + i + "].";
      JsonNode f = node.get(i);
      if (!f.isObject()) {
        problem("fields[" + i + "]", "expected a mapping");
        continue;
      }
      onlyKeys(f, at, FIELD_KEYS);
      String name = text(f, "name", at, true);
      if (name != null) {
        if (!FIELD_NAME.matcher(name).matches()) {
          problem(at + "name", quote(name) + " must be lower-case letters, digits and _, starting with a letter");
        }
        Integer first = byName.putIfAbsent(name, i);
        if (first != null) {
          problem(at + "name", quote(name) + " is already the name of fields[" + first + "]");
        }
      }
      String code = text(f, "code", at, true);
      if (code != null) {
        if (!FIELD_CODE.matcher(code).matches()) {
          problem(at + "code", quote(code) + " must be upper-case letters, digits and _, starting with a letter");
        }
        Integer first = byCode.putIfAbsent(code, i);
        if (first != null) {
          problem(at + "code", quote(code) + " is already the code of fields[" + first + "]");
        }
      }
      FieldType type = enumValue(f, "type", at, FieldType.class, true);
      Integer length = integer(f, "length", at, type == FieldType.STRING);
      if (length != null && length < 1) {
        problem(at + "length", "must be 1 or more, got " + length);
      }
      String description = text(f, "description", at, true);
      Classification level = enumValue(f, "level", at, Classification.class, true);
      PersonalInfoKind pi = enumValue(f, "personalInfo", at, PersonalInfoKind.class, true);
      IdentifierRole role = enumValue(f, "identifierRole", at, IdentifierRole.class, true);
      SemanticType semantic = enumValue(f, "semanticType", at, SemanticType.class, true);
      Mask defaultMask = enumValue(f, "defaultMask", at, Mask.class, true);
      List<Mask> allowed = enumList(f, "allowedMasks", at, Mask.class);
      fieldRules(at, level, pi, semantic, defaultMask, allowed);
      out.add(
          new FieldEntry(
              name, code, type, length == null ? 0 : length, description, level, pi, role, semantic,
              defaultMask, allowed));
    }
    return out;
  }

  /** Rules about one field's classification and masks. */
  private void fieldRules(
      String at,
      Classification level,
      PersonalInfoKind pi,
      SemanticType semantic,
      Mask defaultMask,
      List<Mask> allowed) {
    if (level != null && level.atLeast(Classification.L4) && allowed.stream().allMatch(Mask::isClear)) {
      problem(at + "allowedMasks", "a " + level + " field must allow at least one mask other than CLEAR");
    }
    if (level != null && level.atLeast(Classification.L4) && allowed.contains(Mask.CLEAR)) {
      problem(at + "allowedMasks", "CLEAR is not allowed for a " + level + " field");
    }
    if (pi == PersonalInfoKind.SENSITIVE_PERSONAL && level != null && !level.atLeast(Classification.L4)) {
      problem(at + "level", "sensitive personal information is at least L4, not " + level);
    }
    if (pi == PersonalInfoKind.PERSONAL && level != null && !level.atLeast(Classification.L3)) {
      problem(at + "level", "personal information is at least L3, not " + level);
    }
    if (pi == PersonalInfoKind.NONE && semantic != null && personal(semantic)) {
      problem(at + "personalInfo", "a " + semantic + " field holds personal information, not NONE");
    }
    if (semantic != null) {
      for (int j = 0; j < allowed.size(); j++) {
        if (!allowed.get(j).fits(semantic)) {
          problem(at + "allowedMasks[" + j + "]", allowed.get(j) + " does not fit a " + semantic + " field");
        }
      }
    }
    if (defaultMask != null && !allowed.contains(defaultMask)) {
      problem(at + "defaultMask", defaultMask + " is not among the allowed masks " + allowed);
    }
  }

  private static boolean personal(SemanticType t) {
    return t == SemanticType.CN_ID_CARD || t == SemanticType.CN_MOBILE || t == SemanticType.BANK_CARD
        || t == SemanticType.CN_NAME;
  }

  // --- readers: each reports its own problem and returns null when the value is unusable ---

  private void onlyKeys(JsonNode node, String prefix, Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        problem(prefix + key, "unknown key (known keys: " + known.stream().sorted().collect(Collectors.joining(", ")) + ")");
      }
    }
  }

  private String text(JsonNode node, String key, String prefix, boolean required) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      if (required) {
        problem(prefix + key, "required");
      }
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      problem(prefix + key, "expected text");
      return null;
    }
    String s = v.asText().strip();
    if (s.length() > MAX_TEXT) {
      problem(prefix + key, "longer than " + MAX_TEXT + " characters");
      return null;
    }
    return s;
  }

  private Integer integer(JsonNode node, String key, String prefix, boolean required) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        problem(prefix + key, "required");
      }
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      problem(prefix + key, "expected a whole number, got " + quote(v.asText()));
      return null;
    }
    return v.intValue();
  }

  private boolean bool(JsonNode node, String key, String prefix, boolean fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      problem(prefix + key, "expected true or false, got " + quote(v.asText()));
      return fallback;
    }
    return v.booleanValue();
  }

  private LocalDate date(JsonNode node, String key, boolean required) {
    String s = text(node, key, "", required);
    if (s == null) {
      return null;
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      problem(key, quote(s) + " is not a date (YYYY-MM-DD)");
      return null;
    }
  }

  private <E extends Enum<E>> E enumValue(
      JsonNode node, String key, String prefix, Class<E> type, boolean required) {
    String s = text(node, key, prefix, required);
    return s == null ? null : enumOf(s, prefix + key, type);
  }

  private <E extends Enum<E>> List<E> enumList(JsonNode node, String key, String prefix, Class<E> type) {
    JsonNode v = node.get(key);
    List<E> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problem(prefix + key, "expected a list");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      String path = prefix + key + "[" + i + "]";
      E e = enumOf(v.get(i).asText(), path, type);
      if (e != null) {
        if (out.contains(e)) {
          problem(path, e + " is listed twice");
        } else {
          out.add(e);
        }
      }
    }
    return out;
  }

  private <E extends Enum<E>> E enumOf(String s, String path, Class<E> type) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(s)) {
        return e;
      }
    }
    problem(
        path,
        "unknown value " + quote(s) + " (one of "
            + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
    return null;
  }

  private void problem(String path, String message) {
    problems.add(new Problem(path, message));
  }

  private static String quote(String s) {
    return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
  }
}
