package sluice.catalog.entry;

import java.util.regex.Pattern;

/**
 * Resource codes per the government information resource catalogue (GB/T 21063.4, 政务数据资源目录
 * 编制指南): 类-项-目-细目-顺序码. 类 is one digit (1 basic, 2 thematic, 3 departmental
 * resources), 项 two digits, 目 three, 细目 three, and the sequence six, e.g.
 * {@code 3-44-002-001-000001}.
 */
public final class ResourceCodes {
  private static final Pattern CODE = Pattern.compile("[1-3]-\\d{2}-\\d{3}-\\d{3}-\\d{6}");

  /** An example shown in messages. */
  public static final String EXAMPLE = "3-44-002-001-000001";

  private ResourceCodes() {}

  public static boolean isValid(String code) {
    return code != null && CODE.matcher(code).matches();
  }
}
