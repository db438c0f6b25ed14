package sluice.catalog.mask;

import java.util.Set;

/**
 * A person's name with everything but the surname hidden: {@code 张三丰} to {@code 张**},
 * {@code 欧阳娜娜} to {@code 欧阳**}. Counts characters (code points, so rare characters outside
 * the BMP count once); keeps the separators {@code ·} and space of transliterated names.
 */
public final class ChineseNames {
  /** Two-character surnames (复姓) in common use. */
  private static final Set<String> COMPOUND_SURNAMES =
      Set.of(
          "欧阳", "太史", "端木", "上官", "司马", "东方", "独孤", "南宫", "万俟", "闻人", "夏侯", "诸葛", "尉迟",
          "公羊", "赫连", "澹台", "皇甫", "宗政", "濮阳", "公冶", "太叔", "申屠", "公孙", "慕容", "仲孙", "钟离",
          "长孙", "宇文", "司徒", "鲜于", "司空", "闾丘", "子车", "亓官", "司寇", "巫马", "公西", "颛孙", "壤驷",
          "公良", "漆雕", "乐正", "宰父", "谷梁", "拓跋", "夹谷", "轩辕", "令狐", "段干", "百里", "呼延", "东郭",
          "南门", "羊舌", "微生", "左丘", "西门", "第五");

  private ChineseNames() {}

  public static String keepSurname(String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidMaskInputException("a name must not be empty");
    }
    String name = value.strip();
    int[] cps = name.codePoints().toArray();
    for (int cp : cps) {
      if (Character.isDigit(cp) || Character.isISOControl(cp)) {
        throw new InvalidMaskInputException("a name holds no digits or control characters");
      }
    }
    int keep = cps.length > 2 && COMPOUND_SURNAMES.contains(new String(cps, 0, 2)) ? 2 : 1;
    if (cps.length == 1) {
      keep = 0;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cps.length; i++) {
      int cp = cps[i];
      if (i < keep || cp == '·' || cp == ' ') {
        out.appendCodePoint(cp);
      } else {
        out.append('*');
      }
    }
    return out.toString();
  }
}
