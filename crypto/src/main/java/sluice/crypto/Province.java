package sluice.crypto;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The 32 provincial-level members of the federation: the 31 provinces, autonomous regions and
 * municipalities by their GB/T 2260 code, plus the Xinjiang Production and Construction Corps
 * under code 66.
 */
public enum Province {
  BEIJING(11, "北京市", "Beijing"),
  TIANJIN(12, "天津市", "Tianjin"),
  HEBEI(13, "河北省", "Hebei"),
  SHANXI(14, "山西省", "Shanxi"),
  INNER_MONGOLIA(15, "内蒙古自治区", "Inner Mongolia"),
  LIAONING(21, "辽宁省", "Liaoning"),
  JILIN(22, "吉林省", "Jilin"),
  HEILONGJIANG(23, "黑龙江省", "Heilongjiang"),
  SHANGHAI(31, "上海市", "Shanghai"),
  JIANGSU(32, "江苏省", "Jiangsu"),
  ZHEJIANG(33, "浙江省", "Zhejiang"),
  ANHUI(34, "安徽省", "Anhui"),
  FUJIAN(35, "福建省", "Fujian"),
  JIANGXI(36, "江西省", "Jiangxi"),
  SHANDONG(37, "山东省", "Shandong"),
  HENAN(41, "河南省", "Henan"),
  HUBEI(42, "湖北省", "Hubei"),
  HUNAN(43, "湖南省", "Hunan"),
  GUANGDONG(44, "广东省", "Guangdong"),
  GUANGXI(45, "广西壮族自治区", "Guangxi"),
  HAINAN(46, "海南省", "Hainan"),
  CHONGQING(50, "重庆市", "Chongqing"),
  SICHUAN(51, "四川省", "Sichuan"),
  GUIZHOU(52, "贵州省", "Guizhou"),
  YUNNAN(53, "云南省", "Yunnan"),
  TIBET(54, "西藏自治区", "Tibet"),
  SHAANXI(61, "陕西省", "Shaanxi"),
  GANSU(62, "甘肃省", "Gansu"),
  QINGHAI(63, "青海省", "Qinghai"),
  NINGXIA(64, "宁夏回族自治区", "Ningxia"),
  XINJIANG(65, "新疆维吾尔自治区", "Xinjiang"),
  XPCC(66, "新疆生产建设兵团", "Xinjiang Production and Construction Corps");

  private static final Map<Integer, Province> BY_CODE =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Province::code, Function.identity()));

  private final int code;
  private final String chineseName;
  private final String englishName;

  Province(int code, String chineseName, String englishName) {
    this.code = code;
    this.chineseName = chineseName;
    this.englishName = englishName;
  }

  /** Two-digit GB/T 2260 code (66 for the XPCC). */
  public int code() {
    return code;
  }

  /** The code as the two digits used in node ids, e.g. "44". */
  public String codeString() {
    return Integer.toString(code);
  }

  public String chineseName() {
    return chineseName;
  }

  public String englishName() {
    return englishName;
  }

  /** The provincial gateway's node id, e.g. {@code prov-44}. */
  public NodeId gatewayId() {
    return NodeId.province(this);
  }

  public static Optional<Province> ofCode(int code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }
}
