"""Reference data the registry starts with: real GB/T 2260 codes and the policy of the article.

Loaded after a test flush (tests/reseed.py) into today's models; the migrations hold their own frozen copies.
"""

import datetime

PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}

POOLING_REGIONS = {
    # Beijing is one pooling region for the whole municipality.
    "110000": "北京市",
    # Hebei: all 11 prefecture-level cities.
    "130100": "石家庄市", "130200": "唐山市", "130300": "秦皇岛市", "130400": "邯郸市", "130500": "邢台市",
    "130600": "保定市", "130700": "张家口市", "130800": "承德市", "130900": "沧州市", "131000": "廊坊市",
    "131100": "衡水市",
    # Shanxi: used for the floor/cap variant.
    "140100": "太原市", "140200": "大同市",
    # Jiangsu: all 13 prefecture-level cities.
    "320100": "南京市", "320200": "无锡市", "320300": "徐州市", "320400": "常州市", "320500": "苏州市",
    "320600": "南通市", "320700": "连云港市", "320800": "淮安市", "320900": "盐城市", "321000": "扬州市",
    "321100": "镇江市", "321200": "泰州市", "321300": "宿迁市",
    # Anhui: all 16 prefecture-level cities.
    "340100": "合肥市", "340200": "芜湖市", "340300": "蚌埠市", "340400": "淮南市", "340500": "马鞍山市",
    "340600": "淮北市", "340700": "铜陵市", "340800": "安庆市", "341000": "黄山市", "341100": "滁州市",
    "341200": "阜阳市", "341300": "宿州市", "341500": "六安市", "341600": "亳州市", "341700": "池州市",
    "341800": "宣城市",
}

ARTICLE_RELATIONS = ["parent", "spouse", "child"]
CLOSE_RELATIVES = ["parent", "spouse", "child", "sibling", "grandparent", "grandchild"]

# The national default reproduces the article and sets every field; a province's version sets only what it
# changes (an empty field follows the national version in force). Jiangsu and Hebei allow sharing between their
# cities; Beijing runs the 2026 cross-province rules; Shanxi has a floor, a cap and one authorizer per settlement.
POLICIES = [
    dict(province=None, effective_from=datetime.date(2021, 4, 13), title="国家默认政策（国办发〔2021〕14号）",
         allowed_relations=ARTICLE_RELATIONS, cross_city_allowed=False, cross_province_allowed=False,
         consent_expiry_days=7, uses_validity_period=False, single_authorizer_per_settlement=False,
         on_registry_break="suspend", premiums_payable=False, ends_on_insurance_change=False,
         quota_scope="cross_province"),
    dict(province="32", effective_from=datetime.date(2021, 10, 1), title="江苏省家庭共济政策",
         cross_city_allowed=True, uses_validity_period=True),
    dict(province="13", effective_from=datetime.date(2021, 10, 1), title="河北省家庭共济政策",
         cross_city_allowed=True),
    dict(province="11", effective_from=datetime.date(2026, 1, 1), title="北京市跨省共济政策（2026年）",
         allowed_relations=CLOSE_RELATIVES, cross_city_allowed=True, cross_province_allowed=True,
         on_registry_break="end", premiums_payable=True, ends_on_insurance_change=True),
    dict(province="14", effective_from=datetime.date(2023, 1, 1), title="山西省家庭共济政策",
         allowed_relations=CLOSE_RELATIVES, cross_city_allowed=True, shared_floor="1000.00",
         per_payment_cap="500.00", single_authorizer_per_settlement=True),
]


def load(apps):
    """Insert or refresh the reference data; safe to run more than once."""
    Province = apps.get_model("registry", "Province")
    PoolingRegion = apps.get_model("registry", "PoolingRegion")
    SharingPolicy = apps.get_model("registry", "SharingPolicy")
    for code, name in PROVINCES.items():
        Province.objects.update_or_create(code=code, defaults={"name": name})
    for code, name in POOLING_REGIONS.items():
        PoolingRegion.objects.update_or_create(code=code, defaults={"name": name, "province_id": code[:2]})
    for spec in POLICIES:
        spec = dict(spec)
        province = spec.pop("province")
        SharingPolicy.objects.get_or_create(province_id=province, effective_from=spec.pop("effective_from"),
                                            defaults=spec)
