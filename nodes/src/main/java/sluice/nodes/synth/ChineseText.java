package sluice.nodes.synth;

/**
 * Material for plausible Chinese personal names, street addresses and company names. The
 * surnames are common ones, listed roughly by frequency.
 */
final class ChineseText {

  private static final String SURNAMES =
      "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
          + "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
  private static final String MALE_GIVEN = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国志文博晨轩宏海成东亮峰";
  private static final String FEMALE_GIVEN = "芳娜敏静秀丽艳娟霞燕玲婷雪慧琳颖洁倩萍红梅莉兰晶欣怡佳悦琪雅璐丹蕾瑶涵彤月思诗";
  private static final String[] STREETS = {
    "人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "黄河路", "朝阳路", "胜利路",
    "光明路", "友谊路", "文化路", "学府路", "青年路", "幸福路", "团结路", "东风路", "迎宾大道", "滨河路"
  };
  private static final String TRADE_NAME_CHARS = "华信恒通鑫源宏达金桥天成瑞丰永盛博远中和新锐同创嘉禾启明佳安兴隆润泽德福康泰利晟";
  private static final String[] INDUSTRIES = {
    "科技", "贸易", "建筑工程", "物流", "食品", "医药", "机械制造", "电子", "商贸", "餐饮管理",
    "农业开发", "文化传媒", "信息技术", "环保科技", "建材"
  };
  private static final String[] SHOPS = {"便利店", "餐馆", "五金店", "理发店", "水果店", "汽车修理部"};
  private static final String[] COOPERATIVES = {"蔬菜种植", "果业", "养殖", "粮食种植", "茶叶"};

  private ChineseText() {}

  /** A surname and one or two given-name characters, leaning male or female. */
  static String personName(Draw draw, boolean female) {
    // The minimum of two uniform draws favours the common surnames at the front of the list.
    int surname = Math.min(draw.between(0, SURNAMES.length() - 1), draw.between(0, SURNAMES.length() - 1));
    String given = female ? FEMALE_GIVEN : MALE_GIVEN;
    StringBuilder name = new StringBuilder().append(SURNAMES.charAt(surname)).append(draw.pick(given));
    if (draw.chance(0.6)) {
      name.append(draw.pick(given));
    }
    return name.toString();
  }

  /** A street address below the county, e.g. {@code 人民路128号3栋502室}. */
  static String streetAddress(Draw draw) {
    String street = STREETS[draw.between(0, STREETS.length - 1)] + draw.between(1, 399) + "号";
    return draw.chance(0.7)
        ? street + draw.between(1, 30) + "栋" + draw.between(1, 28) + "0" + draw.between(1, 6) + "室"
        : street;
  }

  /** An enterprise name, e.g. {@code 广州鑫源信息技术有限公司}. */
  static String enterpriseName(Draw draw, County county) {
    String suffix = draw.chance(0.9) ? "有限公司" : "股份有限公司";
    return county.city() + tradeName(draw) + INDUSTRIES[draw.between(0, INDUSTRIES.length - 1)] + suffix;
  }

  /** An individual business (个体工商户) name, e.g. {@code 天河区瑞丰便利店}. */
  static String individualBusinessName(Draw draw, County county) {
    return districtName(county) + tradeName(draw) + SHOPS[draw.between(0, SHOPS.length - 1)];
  }

  /** A farmers' cooperative name, e.g. {@code 石河子市兴隆果业农民专业合作社}. */
  static String cooperativeName(Draw draw, County county) {
    return districtName(county) + tradeName(draw)
        + COOPERATIVES[draw.between(0, COOPERATIVES.length - 1)] + "农民专业合作社";
  }

  private static String tradeName(Draw draw) {
    return "" + draw.pick(TRADE_NAME_CHARS) + draw.pick(TRADE_NAME_CHARS);
  }

  /** The last division of the county's name: {@code 广州市天河区} gives {@code 天河区}. */
  private static String districtName(County county) {
    String name = county.localName();
    int city = name.indexOf('市');
    return city >= 0 && city < name.length() - 1 ? name.substring(city + 1) : name;
  }
}
