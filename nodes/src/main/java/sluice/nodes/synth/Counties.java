package sluice.nodes.synth;

import java.util.List;
import java.util.Map;
import sluice.crypto.Province;

/**
 * A few real GB/T 2260 county-level divisions per province, mostly city districts of the capital
 * and one other large city. The XPCC's people and companies use the Corps-administered cities of
 * Xinjiang (6590xx); no Xinjiang entry starts with 6590, so region codes never overlap.
 */
final class Counties {

  private static final Map<Province, List<County>> TABLE =
      Map.ofEntries(
          Map.entry(Province.BEIJING, List.of(
              c("110101", "北京", "东城区"), c("110102", "北京", "西城区"), c("110105", "北京", "朝阳区"),
              c("110106", "北京", "丰台区"), c("110108", "北京", "海淀区"))),
          Map.entry(Province.TIANJIN, List.of(
              c("120101", "天津", "和平区"), c("120102", "天津", "河东区"), c("120103", "天津", "河西区"),
              c("120104", "天津", "南开区"))),
          Map.entry(Province.HEBEI, List.of(
              c("130102", "石家庄", "石家庄市长安区"), c("130104", "石家庄", "石家庄市桥西区"),
              c("130203", "唐山", "唐山市路北区"), c("130602", "保定", "保定市竞秀区"),
              c("131002", "廊坊", "廊坊市安次区"))),
          Map.entry(Province.SHANXI, List.of(
              c("140105", "太原", "太原市小店区"), c("140106", "太原", "太原市迎泽区"),
              c("140107", "太原", "太原市杏花岭区"), c("140802", "运城", "运城市盐湖区"))),
          Map.entry(Province.INNER_MONGOLIA, List.of(
              c("150102", "呼和浩特", "呼和浩特市新城区"), c("150103", "呼和浩特", "呼和浩特市回民区"),
              c("150104", "呼和浩特", "呼和浩特市玉泉区"), c("150203", "包头", "包头市昆都仑区"),
              c("150602", "鄂尔多斯", "鄂尔多斯市东胜区"))),
          Map.entry(Province.LIAONING, List.of(
              c("210102", "沈阳", "沈阳市和平区"), c("210103", "沈阳", "沈阳市沈河区"),
              c("210202", "大连", "大连市中山区"), c("210203", "大连", "大连市西岗区"),
              c("210204", "大连", "大连市沙河口区"))),
          Map.entry(Province.JILIN, List.of(
              c("220102", "长春", "长春市南关区"), c("220103", "长春", "长春市宽城区"),
              c("220104", "长春", "长春市朝阳区"), c("220202", "吉林", "吉林市昌邑区"))),
          Map.entry(Province.HEILONGJIANG, List.of(
              c("230102", "哈尔滨", "哈尔滨市道里区"), c("230103", "哈尔滨", "哈尔滨市南岗区"),
              c("230104", "哈尔滨", "哈尔滨市道外区"), c("230202", "齐齐哈尔", "齐齐哈尔市龙沙区"))),
          Map.entry(Province.SHANGHAI, List.of(
              c("310101", "上海", "黄浦区"), c("310104", "上海", "徐汇区"), c("310105", "上海", "长宁区"),
              c("310106", "上海", "静安区"), c("310115", "上海", "浦东新区"))),
          Map.entry(Province.JIANGSU, List.of(
              c("320102", "南京", "南京市玄武区"), c("320104", "南京", "南京市秦淮区"),
              c("320106", "南京", "南京市鼓楼区"), c("320505", "苏州", "苏州市虎丘区"),
              c("320506", "苏州", "苏州市吴中区"))),
          Map.entry(Province.ZHEJIANG, List.of(
              c("330102", "杭州", "杭州市上城区"), c("330106", "杭州", "杭州市西湖区"),
              c("330108", "杭州", "杭州市滨江区"), c("330203", "宁波", "宁波市海曙区"),
              c("330302", "温州", "温州市鹿城区"))),
          Map.entry(Province.ANHUI, List.of(
              c("340102", "合肥", "合肥市瑶海区"), c("340103", "合肥", "合肥市庐阳区"),
              c("340104", "合肥", "合肥市蜀山区"), c("340111", "合肥", "合肥市包河区"),
              c("340202", "芜湖", "芜湖市镜湖区"))),
          Map.entry(Province.FUJIAN, List.of(
              c("350102", "福州", "福州市鼓楼区"), c("350103", "福州", "福州市台江区"),
              c("350104", "福州", "福州市仓山区"), c("350203", "厦门", "厦门市思明区"),
              c("350206", "厦门", "厦门市湖里区"))),
          Map.entry(Province.JIANGXI, List.of(
              c("360102", "南昌", "南昌市东湖区"), c("360103", "南昌", "南昌市西湖区"),
              c("360104", "南昌", "南昌市青云谱区"), c("360111", "南昌", "南昌市青山湖区"))),
          Map.entry(Province.SHANDONG, List.of(
              c("370102", "济南", "济南市历下区"), c("370103", "济南", "济南市市中区"),
              c("370202", "青岛", "青岛市市南区"), c("370203", "青岛", "青岛市市北区"),
              c("370212", "青岛", "青岛市崂山区"))),
          Map.entry(Province.HENAN, List.of(
              c("410102", "郑州", "郑州市中原区"), c("410103", "郑州", "郑州市二七区"),
              c("410105", "郑州", "郑州市金水区"), c("410302", "洛阳", "洛阳市老城区"))),
          Map.entry(Province.HUBEI, List.of(
              c("420102", "武汉", "武汉市江岸区"), c("420103", "武汉", "武汉市江汉区"),
              c("420106", "武汉", "武汉市武昌区"), c("420111", "武汉", "武汉市洪山区"),
              c("420502", "宜昌", "宜昌市西陵区"))),
          Map.entry(Province.HUNAN, List.of(
              c("430102", "长沙", "长沙市芙蓉区"), c("430103", "长沙", "长沙市天心区"),
              c("430104", "长沙", "长沙市岳麓区"), c("430105", "长沙", "长沙市开福区"),
              c("430202", "株洲", "株洲市荷塘区"))),
          Map.entry(Province.GUANGDONG, List.of(
              c("440103", "广州", "广州市荔湾区"), c("440104", "广州", "广州市越秀区"),
              c("440106", "广州", "广州市天河区"), c("440304", "深圳", "深圳市福田区"),
              c("440305", "深圳", "深圳市南山区"))),
          Map.entry(Province.GUANGXI, List.of(
              c("450102", "南宁", "南宁市兴宁区"), c("450103", "南宁", "南宁市青秀区"),
              c("450105", "南宁", "南宁市江南区"), c("450202", "柳州", "柳州市城中区"),
              c("450302", "桂林", "桂林市秀峰区"))),
          Map.entry(Province.HAINAN, List.of(
              c("460105", "海口", "海口市秀英区"), c("460106", "海口", "海口市龙华区"),
              c("460107", "海口", "海口市琼山区"), c("460108", "海口", "海口市美兰区"),
              c("460202", "三亚", "三亚市海棠区"))),
          Map.entry(Province.CHONGQING, List.of(
              c("500103", "重庆", "渝中区"), c("500105", "重庆", "江北区"), c("500106", "重庆", "沙坪坝区"),
              c("500107", "重庆", "九龙坡区"), c("500108", "重庆", "南岸区"))),
          Map.entry(Province.SICHUAN, List.of(
              c("510104", "成都", "成都市锦江区"), c("510105", "成都", "成都市青羊区"),
              c("510106", "成都", "成都市金牛区"), c("510107", "成都", "成都市武侯区"),
              c("510108", "成都", "成都市成华区"))),
          Map.entry(Province.GUIZHOU, List.of(
              c("520102", "贵阳", "贵阳市南明区"), c("520103", "贵阳", "贵阳市云岩区"),
              c("520111", "贵阳", "贵阳市花溪区"), c("520302", "遵义", "遵义市红花岗区"))),
          Map.entry(Province.YUNNAN, List.of(
              c("530102", "昆明", "昆明市五华区"), c("530103", "昆明", "昆明市盘龙区"),
              c("530111", "昆明", "昆明市官渡区"), c("530112", "昆明", "昆明市西山区"))),
          Map.entry(Province.TIBET, List.of(
              c("540102", "拉萨", "拉萨市城关区"), c("540103", "拉萨", "拉萨市堆龙德庆区"),
              c("540202", "日喀则", "日喀则市桑珠孜区"))),
          Map.entry(Province.SHAANXI, List.of(
              c("610102", "西安", "西安市新城区"), c("610103", "西安", "西安市碑林区"),
              c("610104", "西安", "西安市莲湖区"), c("610113", "西安", "西安市雁塔区"))),
          Map.entry(Province.GANSU, List.of(
              c("620102", "兰州", "兰州市城关区"), c("620103", "兰州", "兰州市七里河区"),
              c("620104", "兰州", "兰州市西固区"), c("620105", "兰州", "兰州市安宁区"))),
          Map.entry(Province.QINGHAI, List.of(
              c("630102", "西宁", "西宁市城东区"), c("630103", "西宁", "西宁市城中区"),
              c("630104", "西宁", "西宁市城西区"), c("630105", "西宁", "西宁市城北区"))),
          Map.entry(Province.NINGXIA, List.of(
              c("640104", "银川", "银川市兴庆区"), c("640105", "银川", "银川市西夏区"),
              c("640106", "银川", "银川市金凤区"), c("640202", "石嘴山", "石嘴山市大武口区"))),
          Map.entry(Province.XINJIANG, List.of(
              c("650102", "乌鲁木齐", "乌鲁木齐市天山区"), c("650103", "乌鲁木齐", "乌鲁木齐市沙依巴克区"),
              c("650104", "乌鲁木齐", "乌鲁木齐市新市区"), c("650105", "乌鲁木齐", "乌鲁木齐市水磨沟区"),
              c("650202", "克拉玛依", "克拉玛依市独山子区"), c("650203", "克拉玛依", "克拉玛依市克拉玛依区"))),
          Map.entry(Province.XPCC, List.of(
              c("659001", "石河子", "石河子市"), c("659002", "阿拉尔", "阿拉尔市"),
              c("659003", "图木舒克", "图木舒克市"), c("659004", "五家渠", "五家渠市"))));

  private Counties() {}

  /** The counties of {@code province}; never empty. */
  static List<County> of(Province province) {
    List<County> counties = TABLE.get(province);
    if (counties == null) {
      throw new IllegalStateException("no synthetic region table for " + province);
    }
    return counties;
  }

  /**
   * The province-level part of an address in {@code province}: its Chinese name, except for the
   * XPCC, whose cities are administrative divisions of Xinjiang.
   */
  static String addressPrefix(Province province) {
    return province == Province.XPCC ? Province.XINJIANG.chineseName() : province.chineseName();
  }

  private static County c(String code, String city, String localName) {
    return new County(code, city, localName);
  }
}
