"""Filings (备案): the store's customs codes and each product's customs description.

Seed 000 step 2 and seed 001 §4: a merchant files its enterprise codes and every product
before selling cross-border; the platform operator reviews each filing through the one review
mechanism (storefront.domain.reviews).
"""

import re

TRADE_MODES = ("1210", "9610")  # bonded stock | direct purchase (NOTES §3.2)
# Customs' registered enterprise codes are 10 characters (海关注册编码); the XSD allows 18.
ENTERPRISE_CODE = re.compile(r"^[0-9A-Z]{10}$")
CUSTOMS_CODE = re.compile(r"^[0-9]{4}$")
HS_CODE = re.compile(r"^[0-9]{10}$")
POSTAL_TAX_NUMBER = re.compile(r"^[0-9]{8}$")  # 行邮税号, e.g. 09000000

# Code tables of JGS-20 in use here (a subset; customs' full tables are not published as data).
COUNTRIES = {
    "110": "中国香港",
    "116": "日本",
    "133": "韩国",
    "142": "中国",
    "303": "英国",
    "304": "德国",
    "305": "法国",
    "307": "意大利",
    "331": "瑞士",
    "502": "美国",
    "601": "澳大利亚",
    "609": "新西兰",
}
UNITS = {"007": "个", "011": "件", "035": "千克", "036": "克", "142": "瓶"}
TRANSPORT_MODES = {"W": "物流中心（保税）", "Y": "保税港区", "5": "航空运输", "2": "水路运输"}
