package sluice.catalog.mask;

import java.util.List;

/**
 * An address cut after its county-level division (区, 县, 旗, county-level 市), the rest replaced
 * by {@code ***} whatever its length: {@code 北京市海淀区马连洼街道289号} to {@code 北京市海淀区***}.
 * Reads the administrative prefix the way addresses are written: an optional province-level unit
 * (省, 自治区, 特别行政区, or one of the four municipalities), an optional prefecture-level unit
 * (市, 自治州, 州, 盟, 地区) when a county-level unit follows it, then the county-level unit.
 */
public final class Addresses {
  private static final List<String> MUNICIPALITIES = List.of("北京市", "天津市", "上海市", "重庆市");
  private static final List<String> PROVINCE_SUFFIXES = List.of("特别行政区", "自治区", "省");
  private static final List<String> PREFECTURE_SUFFIXES = List.of("自治州", "地区", "盟", "州", "市");
  private static final List<String> COUNTY_SUFFIXES = List.of("自治县", "自治旗", "区", "县", "旗", "市");

  private Addresses() {}

  public static String toCounty(String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidMaskInputException("an address must not be empty");
    }
    String a = value.strip();
    int at = province(a);
    int prefecture = unitEnd(a, at, PREFECTURE_SUFFIXES);
    if (prefecture > 0 && unitEnd(a, prefecture, COUNTY_SUFFIXES) > 0) {
      at = prefecture;
    }
    int county = unitEnd(a, at, COUNTY_SUFFIXES);
    if (county < 0) {
      throw new InvalidMaskInputException("the address names no county-level division (区, 县, 旗 or 市)");
    }
    return a.substring(0, county) + "***";
  }

  /** Where the province-level unit ends (0 when the address does not start with one). */
  private static int province(String a) {
    for (String m : MUNICIPALITIES) {
      if (a.startsWith(m)) {
        return m.length();
      }
    }
    int end = unitEnd(a, 0, PROVINCE_SUFFIXES);
    return Math.max(end, 0);
  }

  /**
   * The end of the first unit starting at {@code from} that ends with one of {@code suffixes} and
   * has at least one character before the suffix; -1 if none.
   */
  private static int unitEnd(String a, int from, List<String> suffixes) {
    int best = -1;
    for (String s : suffixes) {
      int i = a.indexOf(s, from + 1);
      if (i > from && (best < 0 || i + s.length() < best)) {
        best = i + s.length();
      }
    }
    return best;
  }
}
